"""A minimal unit-owned record used to test the permission service independently of the domains."""

from django.db import models
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from units.models import ExplicitGroupObjectPermissionBase, explicit_grant_index


class Matter(models.Model):
    UNIT_ROLE_PERMS = {
        "staff": ["view_matter", "change_matter"],
        "heads": ["view_matter", "change_matter"],
        "oversight": ["view_matter"],
    }

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT)
    title = models.CharField(max_length=100)
    status = models.CharField(max_length=16, default="open")  # for the transition helper's tests
    note = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.title


class MatterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Matter, on_delete=models.CASCADE)


class MatterGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(Matter, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("testapp_matter_gop_explicit")]

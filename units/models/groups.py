"""The unit-role groups that permissions are derived from (U7), and guardian's table base with the
``explicit`` flag."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from .chart import Unit


class UnitRole(models.TextChoices):
    STAFF = "staff", _("pracownicy")
    HEADS = "heads", _("kierownictwo komórki")
    OVERSIGHT = "oversight", _("nadzór")


class UnitGroup(models.Model):
    """A guardian group per unit and role; its members are derived from the chart (never edited by hand)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="unit_role")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_groups")
    role = models.CharField(max_length=16, choices=UnitRole.choices)

    class Meta:
        verbose_name = _("grupa komórki")
        verbose_name_plural = _("grupy komórek")
        constraints = [models.UniqueConstraint(fields=["unit", "role"], name="unitgroup_unit_role_unique")]

    def __str__(self):
        return self.group.name


class ExplicitGroupObjectPermissionBase(GroupObjectPermissionBase):
    """Guardian's direct group-permission table with an ``explicit`` flag.

    Rows that merely mirror the record's own unit (``grant_unit_perms``) are covered by the unit semi-join
    of ``visible()``; rows granted on purpose (``grant_group``: the heads of another unit asked to explain,
    a Team's groups) are flagged, so ``visible()`` reads only those through a small partial index instead of
    every mirrored row.
    """

    # Few rows are explicit: the planner reaches them through ``explicit_grant_index``, not through every
    # mirrored row.
    explicit = models.BooleanField(default=False)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


def explicit_grant_index(name: str) -> models.Index:
    """The partial index ``visible()`` reads explicit group grants through: (group, permission, record) of the
    flagged rows only. Each concrete table declares it with its own short name (index names are limited to 30
    characters, too few for ``%(app_label)s_%(class)s``)."""
    return models.Index(fields=["group", "permission", "content_object"], condition=models.Q(explicit=True), name=name)

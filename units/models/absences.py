"""Absences and who acts for whom (U4)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Absence(models.Model):
    """Nieobecność (U4): dates, and the designated substitute where the rules allow one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences", verbose_name=_("osoba nieobecna")
    )
    date_from = models.DateField(_("od"))
    date_to = models.DateField(_("do"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutions",
        verbose_name=_("wyznaczony zastępca"),
    )
    reason = models.CharField(_("przyczyna"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nieobecność")
        verbose_name_plural = _("nieobecności")
        ordering = ["-date_from"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user}: {self.date_from:%d.%m.%Y}–{self.date_to:%d.%m.%Y}"

    def clean(self):
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")})
        if self.substitute_id and self.substitute_id == self.user_id:
            raise ValidationError({"substitute": _("Osoba nieobecna nie może zastępować samej siebie.")})

"""Approval flows (U6, 000 §38-40): initials up the chart, the signature, the countersignature."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .chart import Unit
from .signing import DocumentKind


class ApprovalFlow(models.Model):
    """Obieg dokumentu do podpisu: initials up the chart, the signature, the countersignature."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("w obiegu")
        APPROVED = "approved", _("podpisany")
        RETURNED = "returned", _("zwrócony autorowi")

    document = models.ForeignKey(
        "mopr.Document", on_delete=models.PROTECT, related_name="approval_flows", verbose_name=_("dokument")
    )
    document_kind = models.CharField(_("rodzaj dokumentu"), max_length=32, choices=DocumentKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("komórka"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    fixed_signatory = models.BooleanField(
        _("podpisujący wskazany"),
        default=False,
        help_text=_("Podpisuje wskazana osoba (np. Przewodniczący Zespołu), nie osoba wynikająca ze struktury."),
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obieg dokumentu")
        verbose_name_plural = _("obiegi dokumentów")
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(status="in_progress"), name="approvalflow_one_open_per_document"
            )
        ]

    def __str__(self):
        return f"{self.document} – {self.get_status_display()}"

    def current_step(self):
        return self.steps.filter(status=ApprovalStep.Status.PENDING).order_by("order").first()


class ApprovalStep(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("parafa")
        SIGNATURE = "signature", _("podpis")
        COUNTERSIGNATURE = "countersignature", _("kontrasygnata")

    class Status(models.TextChoices):
        WAITING = "waiting", _("oczekuje na wcześniejsze kroki")
        PENDING = "pending", _("do wykonania")
        APPROVED = "approved", _("zatwierdzono")
        REFUSED = "refused", _("odmowa")
        CANCELLED = "cancelled", _("anulowano")

    flow = models.ForeignKey(ApprovalFlow, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("kolejność"))
    kind = models.CharField(_("czynność"), max_length=20, choices=Kind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_steps", verbose_name=_("osoba")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wykonał(a)"),
    )
    acted_at = models.DateTimeField(_("kiedy"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 zatwierdzonego pliku"), max_length=64, blank=True)
    reason = models.TextField(_("uzasadnienie odmowy"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("krok obiegu")
        verbose_name_plural = _("kroki obiegu")
        ordering = ["flow", "order"]
        constraints = [models.UniqueConstraint(fields=["flow", "order"], name="approvalstep_order_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.assignee}"

    ACTED = ("approved", "refused")

    def save(self, *args, **kwargs):
        """A step that was approved or refused is a signature: it is never changed (ARCHITECTURE "No side
        doors"); PostgreSQL enforces the same with a trigger for writes that do not pass through here."""
        if self.pk is not None and type(self).objects.filter(pk=self.pk, status__in=self.ACTED).exists():
            raise PermissionDenied(_("Wykonanego kroku obiegu (parafy, podpisu, kontrasygnaty) nie można zmienić."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status in self.ACTED:
            raise PermissionDenied(_("Wykonanego kroku obiegu (parafy, podpisu, kontrasygnaty) nie można usunąć."))
        return super().delete(*args, **kwargs)

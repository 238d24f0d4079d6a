"""The committee (G7), its members' declarations, and the formal and merit cards (G5, G6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mopr.grammar import title_for

from ..budget import DEFAULT_LIMITS
from .competition import Competition
from .criteria import formal_criteria
from .offers import Offer


class Committee(models.Model):
    """Komisja konkursowa powołana zarządzeniem Dyrektora (G7)."""

    competition = models.OneToOneField(
        Competition, on_delete=models.CASCADE, related_name="committee", verbose_name=_("konkurs")
    )
    order_number = models.CharField(_("nr zarządzenia Dyrektora o powołaniu komisji"), max_length=40)
    order_date = models.DateField(_("data zarządzenia"))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komisja konkursowa")
        verbose_name_plural = _("komisje konkursowe")

    def __str__(self):
        return _("Komisja konkursowa – zarządzenie nr %(number)s") % {"number": self.order_number}


class CommitteeMember(models.Model):
    """Członek komisji konkursowej: przewodniczący, zastępca przewodniczącego albo członek."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Przewodniczący Komisji Konkursowej")
        DEPUTY_CHAIR = "deputy_chair", _("Z-ca Przewodniczącego Komisji Konkursowej")
        MEMBER = "member", _("Członek Komisji Konkursowej")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_committees", verbose_name=_("osoba")
    )
    role = models.CharField(_("funkcja"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    ROLE_ORDER = {Role.CHAIR: 0, Role.DEPUTY_CHAIR: 1, Role.MEMBER: 2}

    class Meta:
        verbose_name = _("członek komisji")
        verbose_name_plural = _("członkowie komisji")
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="grants_member_once"),
            # G7 (003 annexes 3-4): one chair and one deputy chair per committee.
            models.UniqueConstraint(fields=["committee"], condition=models.Q(role="chair"), name="grants_one_chair"),
            models.UniqueConstraint(
                fields=["committee"], condition=models.Q(role="deputy_chair"), name="grants_one_deputy_chair"
            ),
        ]

    @property
    def role_title(self) -> str:
        """The function as it agrees with the person ("Przewodnicząca Komisji Konkursowej"; mopr.grammar)."""
        feminine = {
            self.Role.CHAIR: _("Przewodnicząca Komisji Konkursowej"),
            self.Role.MEMBER: _("Członkini Komisji Konkursowej"),
        }.get(self.role)
        return title_for(self.user, self.get_role_display(), feminine)

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} – {self.get_role_display()}"

    @property
    def may_evaluate(self) -> bool:
        declaration = getattr(self, "declaration", None)
        return declaration is not None and declaration.no_conflict


class ConflictDeclaration(models.Model):
    """Oświadczenie członka komisji o braku konfliktu interesów (G7, UDPP art. 15 ust. 2d-2f)."""

    member = models.OneToOneField(CommitteeMember, on_delete=models.CASCADE, related_name="declaration")
    no_conflict = models.BooleanField(_("nie zachodzi konflikt interesów"))
    remarks = models.TextField(_("uwagi"), blank=True)
    declared_at = models.DateTimeField(_("złożono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oświadczenie o braku konfliktu interesów")
        verbose_name_plural = _("oświadczenia o braku konfliktu interesów")

    def __str__(self):
        return str(self.member)


class FormalCard(models.Model):
    """Karta oceny formalnej oferty (G5, załącznik nr 3)."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="formal_card")
    answers = models.JSONField(_("odpowiedzi"), default=dict)
    passed = models.BooleanField(_("spełnia wymogi formalne"))
    reason = models.TextField(_("powód odrzucenia"), blank=True)
    remarks = models.TextField(_("uwagi"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("oceniono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("karta oceny formalnej")
        verbose_name_plural = _("karty oceny formalnej")

    def __str__(self):
        return str(self.offer)

    def answer_rows(self, limits=DEFAULT_LIMITS):
        """(label, answer) in the card's order: one line per attachment of the competition's list (G1); the budget
        criteria name ``limits`` (``GrantsConfig.limits``)."""
        criteria = formal_criteria(limits, self.offer.competition.attachments)
        return [(label, self.answers.get(key)) for key, label in criteria]


class MeritCard(models.Model):
    """Karta oceny merytorycznej oferty (G6, załącznik nr 4): jedna na członka komisji i ofertę."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="merit_cards")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="merit_cards")
    points = models.JSONField(_("punkty"), default=dict)
    total = models.PositiveSmallIntegerField(_("razem"))
    justification = models.TextField(_("uzasadnienie"), blank=True)
    submitted_at = models.DateTimeField(_("złożono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("karta oceny merytorycznej")
        verbose_name_plural = _("karty oceny merytorycznej")
        constraints = [models.UniqueConstraint(fields=["offer", "member"], name="grants_merit_card_once")]

    def __str__(self):
        return f"{self.offer} – {self.member}"


class CommitteeSigning(models.Model):
    """G6/G7 (003 annexes 3-4): a collective document of the committee – an offer's formal or merit card, or the
    committee's protocol – signed by the committee members present at the meeting (chair, deputy chair,
    members), each one personally. It counts as signed when every member present has signed."""

    class Kind(models.TextChoices):
        FORMAL_CARD = "formal_card", _("karta oceny formalnej oferty")
        MERIT_CARD = "merit_card", _("karta oceny merytorycznej oferty")
        PROTOCOL = "protocol", _("protokół z prac komisji konkursowej")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="signings")
    kind = models.CharField(_("dokument"), max_length=16, choices=Kind.choices)
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="signings", verbose_name=_("oferta")
    )
    held_on = models.DateField(_("data posiedzenia komisji"))
    # the state of the document when the presence was recorded (its cards' save times, the results' computation):
    # a card changed afterwards no longer counts as signed
    basis = models.CharField(max_length=80, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("obecność odnotowano"), default=timezone.now)
    completed_at = models.DateTimeField(_("podpisali wszyscy obecni"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("podpisy komisji konkursowej")
        verbose_name_plural = _("podpisy komisji konkursowej")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "kind", "offer"], name="grants_signing_once", nulls_distinct=False
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}{f' – {self.offer}' if self.offer_id else ''}"

    @property
    def is_signed(self) -> bool:
        return self.completed_at is not None


class CommitteeSignature(models.Model):
    """G6/G7: one committee member present at the meeting, and that member's own signature (``signed_at``)."""

    signing = models.ForeignKey(CommitteeSigning, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("członek komisji")
    )
    signed_at = models.DateTimeField(_("podpisano"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("podpis członka komisji")
        verbose_name_plural = _("podpisy członków komisji")
        constraints = [models.UniqueConstraint(fields=["signing", "member"], name="grants_signature_once")]

    def __str__(self):
        return str(self.member)

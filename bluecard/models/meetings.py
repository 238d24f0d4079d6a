"""The Team's meetings: notices, attendance, resolutions and protocol remarks (B2-B6; 004 §9-20)."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .team import Team, TeamMember


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("zwyczajne")
    EXTRAORDINARY = "extraordinary", _("nadzwyczajne")


class Requester(models.TextChoices):
    """B3 (004 §11): who may request an extraordinary meeting."""

    PRESIDENT = "president", _("Prezydent Miasta")
    MAYOR = "mayor", _("Burmistrz Dzielnicy")
    CHAIR = "chair", _("Przewodniczący Zespołu")
    MEMBERS = "members", _("co najmniej trzech członków Zespołu")


class MeetingStatus(models.TextChoices):
    """The meeting's lifecycle (``bluecard.procedures.MEETING``): called, held (attendance recorded), final
    protocol in the chair's signature, signed (B2-B6)."""

    SCHEDULED = "scheduled", _("zwołane")
    HELD = "held", _("odbyte – protokół w przygotowaniu")
    IN_SIGNATURE = "in_signature", _("protokół ostateczny w podpisie Przewodniczącego")
    SIGNED = "signed", _("protokół podpisany")


class Meeting(models.Model):
    """Posiedzenie Zespołu (B2-B6; 004 §9-20)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("rodzaj posiedzenia"), max_length=16, choices=MeetingKind.choices)
    date = models.DateField(_("data posiedzenia"))
    time = models.TimeField(_("godzina"))
    place = models.CharField(_("miejsce"), max_length=250)
    agenda = models.TextField(_("ramowy program"))
    scheduled_on = models.DateField(_("data zwołania"), default=timezone.localdate)
    requested_by = models.CharField(_("na wniosek"), max_length=16, choices=Requester.choices, blank=True)
    requesting_members = models.ManyToManyField(
        TeamMember, blank=True, related_name="+", verbose_name=_("członkowie wnioskujący")
    )
    shortened_notice_reason = models.TextField(_("uzasadnienie skrócenia terminu zawiadomienia"), blank=True)
    protocol_final_at = models.DateTimeField(_("protokół ostateczny"), null=True, blank=True)
    protocol_signed_at = models.DateTimeField(_("protokół podpisany"), null=True, blank=True)
    status = models.CharField(
        _("stan posiedzenia"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[requesting_members])

    class Meta:
        verbose_name = _("posiedzenie Zespołu")
        verbose_name_plural = _("posiedzenia Zespołu")
        ordering = ["-date", "-time"]

    def __str__(self):
        return _("Posiedzenie %(kind)s z dnia %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.date.strftime("%d.%m.%Y"),
        }

    def get_absolute_url(self):
        return reverse("bluecard:meeting", args=[self.pk])

    @property
    def starts_at(self):
        """The meeting's start as an aware datetime (nothing is recorded before it, ARCHITECTURE "Time")."""
        return timezone.make_aware(datetime.combine(self.date, self.time))

    def has_taken_place(self, today: date | None = None) -> bool:
        """Whether the meeting has begun: by its date when ``today`` is given, else by its date and hour."""
        if today is not None:
            return self.date <= today
        return timezone.now() >= self.starts_at


def _token() -> str:
    return secrets.token_urlsafe(32)


class MeetingNotice(models.Model):
    """Zawiadomienie imienne z potwierdzeniem odbioru (B3; 004 §14)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    # 004 §14 pkt 1: to the members and to the invited persons (an invited person: name, e-mail, address).
    member = models.ForeignKey(TeamMember, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    invitee_name = models.CharField(_("osoba zaproszona"), max_length=200, blank=True)
    invitee_email = models.EmailField(_("adres e-mail osoby zaproszonej"), blank=True)
    invitee_address = models.CharField(_("adres pocztowy osoby zaproszonej"), max_length=300, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("potwierdzono odbiór"), null=True, blank=True)
    # 004 §12: also by ordinary letter: the printable notice and the record of its dispatch.
    letter = models.ForeignKey("mopr.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    letter_dispatched_on = models.DateField(_("list wysłano"), null=True, blank=True)
    letter_dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zawiadomienie o posiedzeniu")
        verbose_name_plural = _("zawiadomienia o posiedzeniu")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="bluecard_notice_once"),
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | ~models.Q(invitee_name=""),
                name="bluecard_notice_has_addressee",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} → {self.addressee}"

    @property
    def addressee(self) -> str:
        return self.member.user.get_full_name() if self.member_id else self.invitee_name


class Attendance(models.Model):
    """Lista obecności (004 §19): a member (with a vote) or an invited guest (no vote, B4; 004 §15)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(TeamMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    guest_name = models.CharField(_("osoba zaproszona"), max_length=200, blank=True)
    guest_affiliation = models.CharField(_("instytucja / funkcja"), max_length=200, blank=True)
    undertaking_on = models.DateField(_("data zobowiązania do zachowania tajemnicy"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obecność")
        verbose_name_plural = _("lista obecności")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="bluecard_attendance_once"),
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(undertaking_on__isnull=False),
                name="bluecard_guest_needs_undertaking",
            ),
        ]

    def __str__(self):
        return str(self.member) if self.member_id else self.guest_name

    @property
    def has_vote(self) -> bool:
        return self.member_id is not None


class ChairVote(models.TextChoices):
    FOR = "for", _("za")
    AGAINST = "against", _("przeciw")
    ABSTAIN = "abstain", _("wstrzymał(a) się")


class Resolution(models.Model):
    """Uchwała Zespołu or an urgent decision without a resolution, with a note (B5; 004 §16-17)."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("uchwała")
        URGENT = "urgent", _("decyzja pilna bez formy uchwały")

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="resolutions")
    kind = models.CharField(_("forma"), max_length=16, choices=Kind.choices, default=Kind.RESOLUTION)
    number = models.CharField(_("numer"), max_length=40, blank=True)
    subject = models.CharField(_("przedmiot"), max_length=300)
    members_total = models.PositiveSmallIntegerField(_("skład Zespołu"), default=0)
    members_present = models.PositiveSmallIntegerField(_("obecnych członków"), default=0)
    votes_for = models.PositiveSmallIntegerField(_("za"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("przeciw"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("wstrzymujących się"), default=0)
    chair_vote = models.CharField(_("głos przewodniczącego"), max_length=8, choices=ChairVote.choices, blank=True)
    decided_by_chair_vote = models.BooleanField(_("rozstrzygnięta głosem przewodniczącego"), default=False)
    adopted = models.BooleanField(_("podjęta"), default=False)
    urgent_note = models.TextField(_("notatka o decyzji pilnej"), blank=True)
    decided_on = models.DateField(_("data"), default=timezone.localdate)
    year = models.PositiveSmallIntegerField(_("rok"), editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uchwała")
        verbose_name_plural = _("uchwały")
        ordering = ["decided_on", "pk"]
        constraints = [
            # B5: a resolution's number is the Team's, once a year (a replayed vote cannot store it twice).
            models.UniqueConstraint(
                fields=["team", "year", "number"],
                condition=~models.Q(number=""),
                name="bluecard_resolution_number_once_a_year",
            ),
        ]

    def save(self, *args, **kwargs):
        self.year = self.decided_on.year
        if kwargs.get("update_fields") is not None and "decided_on" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "year"}
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.number} {self.subject}".strip()


class ProtocolRemark(models.Model):
    """Pisemna uwaga członka do protokołu, w ciągu 7 dni (B6; 004 §20)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="remarks")
    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("treść uwagi"))
    submitted_on = models.DateField(_("data złożenia"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uwaga do protokołu")
        verbose_name_plural = _("uwagi do protokołu")
        ordering = ["submitted_on", "pk"]

    def __str__(self):
        return f"{self.member} {self.submitted_on:%d.%m.%Y}"

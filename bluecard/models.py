"""Zespół Interdyscyplinarny and the Niebieska Karta procedure (B1-B13; seed 004).

Access is NOT derived from the org chart: no model here declares ``UNIT_ROLE_PERMS``. Each Team has
two guardian groups kept by the services: ``declared`` (active members with a confidentiality declaration,
who may see the list of cards) and ``leaders`` (chair and vice-chair with a declaration, who see every card).
Subteam and working-group members get explicit per-card user grants (granted and revoked by the services).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from units.models import ExplicitGroupObjectPermissionBase, explicit_grant_index


class TerminologyPreset(models.TextChoices):
    """B13: the 004 set (2016) is the default; the 2023 reform set is the second preset."""

    ORG_2016 = "2016", _("Organizacja pracy Zespołu 2016 (grupy robocze)")
    REFORM_2023 = "2023", _("Po reformie 2023 (grupy diagnostyczno-pomocowe)")


# B13: terminology and deadline values of each preset.
PRESETS = {
    TerminologyPreset.ORG_2016: {
        "group": _("grupa robocza"),
        "groups": _("grupy robocze"),
        "intake_form": _("formularz „Niebieska Karta – A”"),
        "group_protocol": _("protokół z posiedzenia grupy roboczej (Załącznik nr 2)"),
        "group_mandatory": False,
        "notification_days": 3,
        "extraordinary_notice_working_days": 7,
        "ordinary_notice_months": 1,
        "ordinary_interval_months": 3,
        "remarks_days": 7,
        "group_assign_working_days": None,
        "group_first_meeting_working_days": None,
    },
    TerminologyPreset.REFORM_2023: {
        "group": _("grupa diagnostyczno-pomocowa"),
        "groups": _("grupy diagnostyczno-pomocowe"),
        "intake_form": _("formularz NK-A (podmiot wszczynający); NK-B przekazany osobie doznającej przemocy"),
        "group_protocol": _("protokół spotkania grupy z formularzami NK-C / NK-D"),
        "group_mandatory": True,
        "notification_days": 3,
        "extraordinary_notice_working_days": 7,
        "ordinary_notice_months": 1,
        "ordinary_interval_months": 2,
        "remarks_days": 7,
        "group_assign_working_days": 3,
        "group_first_meeting_working_days": 5,
    },
}


class Team(models.Model):
    """Zespół Interdyscyplinarny ds. Przeciwdziałania Przemocy (004 §1-8)."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="bluecard_teams",
                                    verbose_name=_("ośrodek obsługujący"))
    seat_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("komórka obsługująca Zespół"))
    name = models.CharField(_("nazwa"), max_length=250)
    seat = models.CharField(_("siedziba Zespołu"), max_length=250, help_text=_("Adres siedziby (004 §3)."))
    preset = models.CharField(_("zestaw terminologii i terminów"), max_length=8, choices=TerminologyPreset.choices,
                              default=TerminologyPreset.ORG_2016)
    notify_with_name = models.BooleanField(
        _("podawać w powiadomieniu imię i nazwisko osoby doznającej przemocy"), default=False,
        help_text=_("B7 (004 §23): powiadomienie zawiera numer karty, a jeśli ośrodek tak ustali – także imię i "
                    "nazwisko osoby doznającej przemocy."))
    notification_days = models.PositiveSmallIntegerField(_("termin powiadomienia członków (dni)"), default=3)
    extraordinary_notice_working_days = models.PositiveSmallIntegerField(
        _("wyprzedzenie zawiadomienia o posiedzeniu nadzwyczajnym (dni robocze)"), default=7)
    ordinary_notice_months = models.PositiveSmallIntegerField(
        _("wyprzedzenie ustalenia posiedzenia zwyczajnego (miesiące)"), default=1)
    ordinary_interval_months = models.PositiveSmallIntegerField(
        _("posiedzenie zwyczajne co najmniej raz na (miesiące)"), default=3)
    remarks_days = models.PositiveSmallIntegerField(_("termin uwag do protokołu (dni)"), default=7)
    group_assign_working_days = models.PositiveSmallIntegerField(
        _("przekazanie karty grupie (dni robocze)"), null=True, blank=True)
    group_first_meeting_working_days = models.PositiveSmallIntegerField(
        _("pierwsze spotkanie grupy (dni robocze)"), null=True, blank=True)
    declared_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="+", editable=False)
    leaders_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="+", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Zespół Interdyscyplinarny")
        verbose_name_plural = _("Zespoły Interdyscyplinarne")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bluecard:home")

    @property
    def terms(self) -> dict:
        return PRESETS[TerminologyPreset(self.preset)]

    @property
    def group_mandatory(self) -> bool:
        return bool(self.terms["group_mandatory"])


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Przewodniczący")
    VICE_CHAIR = "vice_chair", _("Zastępca Przewodniczącego")
    MEMBER = "member", _("członek")


class TeamMember(models.Model):
    """Członek Zespołu, appointed and dismissed by order (B1; 004 §49-50). Acts in person, no substitutes."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", verbose_name=_("Zespół"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bluecard_memberships",
                             verbose_name=_("osoba"))
    represented_institution = models.CharField(_("reprezentowana instytucja"), max_length=250)
    email = models.EmailField(_("adres e-mail do zawiadomień"))
    role = models.CharField(_("funkcja"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    appointing_order_number = models.CharField(_("numer zarządzenia o powołaniu"), max_length=80)
    appointing_order_date = models.DateField(_("data zarządzenia o powołaniu"))
    dismissing_order_number = models.CharField(_("numer zarządzenia o odwołaniu"), max_length=80, blank=True)
    dismissing_order_date = models.DateField(_("data zarządzenia o odwołaniu"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("członek Zespołu")
        verbose_name_plural = _("członkowie Zespołu")
        ordering = ["team", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], condition=models.Q(dismissing_order_date__isnull=True),
                                    name="bluecard_member_active_once"),
            models.UniqueConstraint(fields=["team", "role"], condition=models.Q(
                dismissing_order_date__isnull=True, role__in=["chair", "vice_chair"]),
                name="bluecard_one_chair_one_vice"),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.represented_institution})"

    @property
    def is_active(self) -> bool:
        return self.dismissing_order_date is None

    @property
    def is_leader(self) -> bool:
        return self.role in (MemberRole.CHAIR, MemberRole.VICE_CHAIR)


class DeclarationCapacity(models.TextChoices):
    MEMBER = "member", _("członek Zespołu")
    GROUP_MEMBER = "group_member", _("członek grupy")
    GUEST = "guest", _("osoba zaproszona")


class ConfidentialityDeclaration(models.Model):
    """Oświadczenie o zachowaniu tajemnicy (B11; 004 §43-44, Załącznik nr 3)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bluecard_declarations",
                             verbose_name=_("osoba"))
    capacity = models.CharField(_("w charakterze"), max_length=16, choices=DeclarationCapacity.choices)
    declared_on = models.DateField(_("data złożenia oświadczenia"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("zarejestrował(a)"))
    recorded_at = models.DateTimeField(_("zarejestrowano"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oświadczenie o zachowaniu tajemnicy")
        verbose_name_plural = _("oświadczenia o zachowaniu tajemnicy")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="bluecard_declaration_once")]

    def __str__(self):
        return f"{self.user} – {self.declared_on:%d.%m.%Y}"


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
    requesting_members = models.ManyToManyField(TeamMember, blank=True, related_name="+",
                                                verbose_name=_("członkowie wnioskujący"))
    shortened_notice_reason = models.TextField(_("uzasadnienie skrócenia terminu zawiadomienia"), blank=True)
    protocol_final_at = models.DateTimeField(_("protokół ostateczny"), null=True, blank=True)
    protocol_signed_at = models.DateTimeField(_("protokół podpisany"), null=True, blank=True)
    status = models.CharField(_("stan posiedzenia"), max_length=16, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[requesting_members])

    class Meta:
        verbose_name = _("posiedzenie Zespołu")
        verbose_name_plural = _("posiedzenia Zespołu")
        ordering = ["-date", "-time"]

    def __str__(self):
        return _("Posiedzenie %(kind)s z dnia %(date)s") % {"kind": self.get_kind_display(),
                                                            "date": self.date.strftime("%d.%m.%Y")}

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
    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="notices")
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("potwierdzono odbiór"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zawiadomienie o posiedzeniu")
        verbose_name_plural = _("zawiadomienia o posiedzeniu")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="bluecard_notice_once")]

    def __str__(self):
        return f"{self.meeting} → {self.member}"


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
            models.CheckConstraint(condition=models.Q(member__isnull=False) | models.Q(undertaking_on__isnull=False),
                                   name="bluecard_guest_needs_undertaking"),
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
            models.UniqueConstraint(fields=["team", "year", "number"], condition=~models.Q(number=""),
                                    name="bluecard_resolution_number_once_a_year"),
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


class InitiatingInstitution(models.TextChoices):
    """Who opened the procedure (B7)."""

    POLICE = "police", _("Policja")
    SOCIAL_WELFARE = "social_welfare", _("jednostka organizacyjna pomocy społecznej")
    HEALTH = "health", _("ochrona zdrowia")
    EDUCATION = "education", _("oświata")
    ALCOHOL_COMMISSION = "alcohol", _("gminna komisja rozwiązywania problemów alkoholowych")


class CardStatus(models.TextChoices):
    REGISTERED = "registered", _("zarejestrowana, oczekuje na decyzję podzespołu")
    LEFT_TO_TEAM = "left_to_team", _("pozostawiona do rozpatrzenia przez Zespół")
    WORKING_GROUP = "working_group", _("prowadzona przez grupę")
    CLOSING = "closing", _("zakończenie w podpisie")
    CLOSED = "closed", _("procedura zakończona")


class BlueCard(models.Model):
    """Formularz „Niebieska Karta” received by the Team (B7; 004 §21-23).

    No ``DOCUMENT_VIEW_PERM``: the card's PDFs are read only through the module's own view, which writes the
    access log (only the people of an approval flow — the chair — may also open them on the flow page)."""

    ACCESS_LOGGED = True  # for a generic document view that logs reads of sensitive owners (see report)
    # B11: a special category (ARCHITECTURE "Special categories"): ``units.permissions.may`` ignores the
    # superuser flag here; only the rows the procedure granted (Team groups, per-card grants) open a card.
    SPECIAL_CATEGORY = True

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cards")
    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer kolejny"))
    received_on = models.DateField(_("data wpływu"))
    initiating_institution = models.CharField(_("podmiot wszczynający"), max_length=16,
                                              choices=InitiatingInstitution.choices)
    initiating_body = models.CharField(_("nazwa jednostki wszczynającej"), max_length=250, blank=True)
    person_experiencing = models.CharField(_("osoba doznająca przemocy"), max_length=250)
    persons_suspected = models.TextField(_("osoby, wobec których istnieje podejrzenie stosowania przemocy"))
    children = models.TextField(_("dzieci w rodzinie"), blank=True)
    scan = models.FileField(_("skan formularza"), upload_to="bluecard/scans/%Y/", blank=True)
    status = models.CharField(_("stan procedury"), max_length=16, choices=CardStatus.choices,
                              default=CardStatus.REGISTERED)
    notification_sent_at = models.DateTimeField(_("powiadomienie członków wysłano"), null=True, blank=True)
    notification_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(_("data zakończenia procedury"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Niebieska Karta")
        verbose_name_plural = _("Niebieskie Karty")
        ordering = ["-year", "-number"]
        permissions = [("list_bluecard", _("Widzi kartę na liście kart Zespołu"))]
        constraints = [models.UniqueConstraint(fields=["team", "year", "number"], name="bluecard_number_unique")]

    def __str__(self):
        return self.signature

    @property
    def signature(self) -> str:
        return f"{self.number}/{self.year}"

    def get_absolute_url(self):
        return reverse("bluecard:card", args=[self.pk])


class BlueCardUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(BlueCard, on_delete=models.CASCADE)


class BlueCardGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(BlueCard, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("bluecard_card_gop_explicit")]


class SubteamDecision(models.Model):
    """Decyzja podzespołu (B8; 004 §24-25): a working group, or leave the case to the Team."""

    class Decision(models.TextChoices):
        WORKING_GROUP = "working_group", _("powołanie grupy")
        LEAVE_TO_TEAM = "leave_to_team", _("pozostawienie sprawy do rozpatrzenia na posiedzeniu Zespołu")
        CHANGE_GROUP = "change_group", _("zmiany osobowe w grupie")

    card = models.ForeignKey(BlueCard, on_delete=models.CASCADE, related_name="subteam_decisions")
    members = models.ManyToManyField(TeamMember, related_name="+", verbose_name=_("skład podzespołu"))
    decision = models.CharField(_("decyzja"), max_length=16, choices=Decision.choices)
    decided_on = models.DateField(_("data decyzji"))
    note = models.TextField(_("uzasadnienie / uwagi"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("decyzja podzespołu")
        verbose_name_plural = _("decyzje podzespołu")
        ordering = ["decided_on", "pk"]

    def __str__(self):
        return f"{self.card} – {self.get_decision_display()}"


class WorkingGroup(models.Model):
    """Grupa robocza / grupa diagnostyczno-pomocowa (B9, B13; 004 §26-31)."""

    card = models.OneToOneField(BlueCard, on_delete=models.CASCADE, related_name="group")
    coordinator = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="coordinated_groups",
                                    verbose_name=_("koordynator"))
    created_on = models.DateField(_("data powołania"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grupa")
        verbose_name_plural = _("grupy")

    def __str__(self):
        return str(self.card)


class WorkingGroupMember(models.Model):
    """A person directly involved with the family (004 §28), from any institution; an explicit per-card grant."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bluecard_groups",
                             verbose_name=_("osoba"))
    institution_name = models.CharField(_("instytucja"), max_length=250)
    joined_on = models.DateField(_("od"))
    left_on = models.DateField(_("do"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("członek grupy")
        verbose_name_plural = _("członkowie grupy")
        constraints = [models.UniqueConstraint(fields=["group", "user"], condition=models.Q(left_on__isnull=True),
                                               name="bluecard_group_member_once")]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.institution_name})"


class GroupMeeting(models.Model):
    """Spotkanie grupy (B9; 004 §30-31, §37) with its protocol (Załącznik nr 2)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("data spotkania"))
    at_seat = models.BooleanField(_("w siedzibie Zespołu"), default=True)
    place = models.CharField(_("miejsce"), max_length=250)
    place_reason = models.TextField(_("uzasadnienie spotkania poza siedzibą"), blank=True)
    attendees = models.ManyToManyField(WorkingGroupMember, related_name="+", verbose_name=_("obecni członkowie grupy"))
    third_persons = models.TextField(_("osoby trzecie obecne na spotkaniu"), blank=True)
    third_persons_reason = models.TextField(_("uzasadnienie obecności osób trzecich"), blank=True)
    findings = models.TextField(_("przebieg i ustalenia"))
    protocol_sent_at = models.DateTimeField(_("protokół przekazano Przewodniczącemu"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("spotkanie grupy")
        verbose_name_plural = _("spotkania grupy")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.group} {self.held_on:%d.%m.%Y}"


class HelpAction(models.Model):
    """Działanie indywidualnego planu pomocy (B9-B10)."""

    card = models.ForeignKey(BlueCard, on_delete=models.CASCADE, related_name="help_actions")
    description = models.TextField(_("działanie"))
    responsible = models.CharField(_("odpowiedzialny"), max_length=250)
    due_on = models.DateField(_("termin"), null=True, blank=True)
    done_on = models.DateField(_("wykonano"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("działanie planu pomocy")
        verbose_name_plural = _("indywidualny plan pomocy")
        ordering = ["pk"]

    def __str__(self):
        return self.description[:60]


class ClosureReason(models.TextChoices):
    """B10 (004 §32): the three reasons to end the procedure."""

    VIOLENCE_STOPPED = "stopped", _("ustanie przemocy i zrealizowanie indywidualnego planu pomocy")
    GROUNDLESS = "groundless", _("rozstrzygnięcie o braku zasadności podejmowania działań")
    TRANSFERRED = "transferred", _("przekazanie procedury do innego zespołu interdyscyplinarnego")


class ClosureForum(models.TextChoices):
    """B10 (004 §33): where the end was decided."""

    GROUP = "group", _("posiedzenie grupy")
    SUBTEAM = "subteam", _("spotkanie podzespołu")
    TEAM = "team", _("posiedzenie Zespołu")


class Closure(models.Model):
    """Zakończenie procedury z protokołem podpisanym przez Przewodniczącego (B10; 004 §32-36)."""

    class Status(models.TextChoices):
        IN_SIGNATURE = "in_signature", _("w podpisie Przewodniczącego")
        SIGNED = "signed", _("podpisany")
        RETURNED = "returned", _("zwrócony")

    card = models.ForeignKey(BlueCard, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("przyczyna zakończenia"), max_length=16, choices=ClosureReason.choices)
    forum = models.CharField(_("gdzie podjęto decyzję"), max_length=16, choices=ClosureForum.choices)
    decided_on = models.DateField(_("data zakończenia"))
    actions_summary = models.TextField(_("opis podjętych działań"))
    transferred_to = models.CharField(_("zespół, któremu przekazano procedurę"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_SIGNATURE)
    document = models.ForeignKey("mopr.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("podpisano"), null=True, blank=True)
    institutions_notified_at = models.DateTimeField(_("powiadomiono podmioty"), null=True, blank=True)
    reported_at_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="reported_closures",
                                            verbose_name=_("przedstawiono na posiedzeniu"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zakończenie procedury")
        verbose_name_plural = _("zakończenia procedury")
        ordering = ["-pk"]
        constraints = [
            # B10: one closure protocol at a time in the chair's signature per card.
            models.UniqueConstraint(fields=["card"], condition=models.Q(status="in_signature"),
                                    name="bluecard_one_pending_closure"),
        ]

    def __str__(self):
        return f"{self.card} – {self.get_reason_display()}"

    def get_absolute_url(self):
        return reverse("bluecard:card", args=[self.card_id])


class BreachReport(models.Model):
    """Zgłoszenie naruszenia ochrony danych do Przewodniczącego lub Zastępcy (B11; 004 §47)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="breaches")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("zgłoszono"), default=timezone.now)
    occurred_on = models.DateField(_("data zdarzenia"))
    description = models.TextField(_("opis naruszenia"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zgłoszenie naruszenia")
        verbose_name_plural = _("zgłoszenia naruszeń")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.reported_at:%d.%m.%Y %H:%M}"


class AnnualReport(models.Model):
    """Sprawozdanie roczne Zespołu dla Prezydenta, do 31 stycznia (B12; 004 §55)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("rok sprawozdawczy"))
    statistics = models.JSONField(_("dane"), default=dict)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(_("wygenerowano"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sprawozdanie roczne")
        verbose_name_plural = _("sprawozdania roczne")
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="bluecard_report_once")]

    def __str__(self):
        return f"{self.team} {self.year}"

    def get_absolute_url(self):
        return reverse("bluecard:statistics")

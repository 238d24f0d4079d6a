"""Blue Cards and what belongs to them: per-card grants, subteam decisions, working groups, group meetings,
the help plan and closure (B7-B10, B13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from units.models import ExplicitGroupObjectPermissionBase, explicit_grant_index

from .meetings import Meeting
from .team import Team, TeamMember


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

    # Read by the generic document view (units.views): every read of this owner's documents, and every refused
    # one, is written to the access log (B11; ARCHITECTURE "Special categories": every read is logged).
    ACCESS_LOGGED = True
    # B11: a special category (ARCHITECTURE "Special categories"): ``units.permissions.may`` ignores the
    # superuser flag here; only the rows the procedure granted (Team groups, per-card grants) open a card.
    SPECIAL_CATEGORY = True
    # The list's search by name (mopr.search; trigram index bluecard_search_trgm, migration 0008): only over the
    # cards the person may read (selectors.card_search), each card found written to the access log.
    SEARCH_FIELDS = ("person_experiencing", "persons_suspected", "children")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cards")
    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer kolejny"))
    received_on = models.DateField(_("data wpływu"))
    initiating_institution = models.CharField(
        _("podmiot wszczynający"), max_length=16, choices=InitiatingInstitution.choices
    )
    initiating_body = models.CharField(_("nazwa jednostki wszczynającej"), max_length=250, blank=True)
    person_experiencing = models.CharField(_("osoba doznająca przemocy"), max_length=250)
    # R3: the family's address finds its care district and social worker (units.districts), shown on the card.
    family_address = models.CharField(_("adres zamieszkania rodziny"), max_length=300, blank=True)
    persons_suspected = models.TextField(_("osoby, wobec których istnieje podejrzenie stosowania przemocy"))
    children = models.TextField(_("dzieci w rodzinie"), blank=True)
    scan = models.FileField(_("skan formularza"), upload_to="bluecard/scans/%Y/", blank=True)
    status = models.CharField(
        _("stan procedury"), max_length=16, choices=CardStatus.choices, default=CardStatus.REGISTERED
    )
    notification_sent_at = models.DateTimeField(_("powiadomienie członków wysłano"), null=True, blank=True)
    notification_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
    coordinator = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, related_name="coordinated_groups", verbose_name=_("koordynator")
    )
    created_on = models.DateField(_("data powołania"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grupa")
        verbose_name_plural = _("grupy")

    def __str__(self):
        return str(self.card)

    def get_absolute_url(self):
        return reverse("bluecard:group", args=[self.card_id])


class WorkingGroupMember(models.Model):
    """A person directly involved with the family (004 §28), from any institution; an explicit per-card grant."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bluecard_groups", verbose_name=_("osoba")
    )
    institution_name = models.CharField(_("instytucja"), max_length=250)
    joined_on = models.DateField(_("od"))
    left_on = models.DateField(_("do"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("członek grupy")
        verbose_name_plural = _("członkowie grupy")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=models.Q(left_on__isnull=True), name="bluecard_group_member_once"
            )
        ]

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
    reported_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_closures",
        verbose_name=_("przedstawiono na posiedzeniu"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zakończenie procedury")
        verbose_name_plural = _("zakończenia procedury")
        ordering = ["-pk"]
        constraints = [
            # B10: one closure protocol at a time in the chair's signature per card.
            models.UniqueConstraint(
                fields=["card"], condition=models.Q(status="in_signature"), name="bluecard_one_pending_closure"
            ),
        ]

    def __str__(self):
        return f"{self.card} – {self.get_reason_display()}"

    def get_absolute_url(self):
        return reverse("bluecard:card", args=[self.card_id])


class ClosureNotice(models.Model):
    """004 §36 (B10): the notice of the closure to one institution that took part (the opening one included):
    by e-mail where it has an address, otherwise a printable letter whose dispatch is recorded."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        LETTER = "letter", _("pismo")

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="notices")
    institution = models.CharField(_("podmiot"), max_length=250)
    email = models.EmailField(_("adres e-mail"), blank=True)
    channel = models.CharField(_("sposób"), max_length=8, choices=Channel.choices)
    document = models.ForeignKey("mopr.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dispatched_on = models.DateField(_("data wysłania"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("powiadomienie o zakończeniu procedury")
        verbose_name_plural = _("powiadomienia o zakończeniu procedury")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.closure} – {self.institution}"

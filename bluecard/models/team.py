"""The Team, its members, confidentiality declarations, breach reports and annual reports (B1, B11-B13)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mopr.grammar import title_for


class NotificationContent(models.TextChoices):
    """B7 (004 §23): what the e-mail about a received card names besides its number."""

    NAME = "name", _("imię i nazwisko osoby doznającej przemocy (004 §23)")
    LINK = "link", _("odnośnik do karty w systemie zamiast imienia i nazwiska")


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

    institution = models.ForeignKey(
        "units.Institution",
        on_delete=models.PROTECT,
        related_name="bluecard_teams",
        verbose_name=_("ośrodek obsługujący"),
    )
    seat_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("komórka obsługująca Zespół")
    )
    name = models.CharField(_("nazwa"), max_length=250)
    seat = models.CharField(_("siedziba Zespołu"), max_length=250, help_text=_("Adres siedziby (004 §3)."))
    preset = models.CharField(
        _("zestaw terminologii i terminów"),
        max_length=8,
        choices=TerminologyPreset.choices,
        default=TerminologyPreset.ORG_2016,
    )
    notification_content = models.CharField(
        _("treść powiadomienia o wpłynięciu karty"),
        max_length=8,
        choices=NotificationContent.choices,
        default=NotificationContent.NAME,
        help_text=_(
            "B7 (004 §23): powiadomienie e-mailem zawiera numer karty oraz imię i nazwisko osoby doznającej "
            "przemocy (nigdy w temacie); Zespół może zamiast nazwiska wysyłać odnośnik do karty w systemie."
        ),
    )
    notification_days = models.PositiveSmallIntegerField(_("termin powiadomienia członków (dni)"), default=3)
    extraordinary_notice_working_days = models.PositiveSmallIntegerField(
        _("wyprzedzenie zawiadomienia o posiedzeniu nadzwyczajnym (dni robocze)"), default=7
    )
    ordinary_notice_months = models.PositiveSmallIntegerField(
        _("wyprzedzenie ustalenia posiedzenia zwyczajnego (miesiące)"), default=1
    )
    ordinary_interval_months = models.PositiveSmallIntegerField(
        _("posiedzenie zwyczajne co najmniej raz na (miesiące)"), default=3
    )
    remarks_days = models.PositiveSmallIntegerField(_("termin uwag do protokołu (dni)"), default=7)
    group_assign_working_days = models.PositiveSmallIntegerField(
        _("przekazanie karty grupie (dni robocze)"), null=True, blank=True
    )
    group_first_meeting_working_days = models.PositiveSmallIntegerField(
        _("pierwsze spotkanie grupy (dni robocze)"), null=True, blank=True
    )
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bluecard_memberships", verbose_name=_("osoba")
    )
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
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(dismissing_order_date__isnull=True),
                name="bluecard_member_active_once",
            ),
            models.UniqueConstraint(
                fields=["team", "role"],
                condition=models.Q(dismissing_order_date__isnull=True, role__in=["chair", "vice_chair"]),
                name="bluecard_one_chair_one_vice",
            ),
        ]

    @property
    def role_title(self) -> str:
        """The function as it agrees with the person ("Przewodnicząca" for a woman; mopr.grammar)."""
        feminine = {MemberRole.CHAIR: _("Przewodnicząca"), MemberRole.MEMBER: _("członkini")}.get(self.role)
        return title_for(self.user, self.get_role_display(), feminine)

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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bluecard_declarations",
        verbose_name=_("osoba"),
    )
    capacity = models.CharField(_("w charakterze"), max_length=16, choices=DeclarationCapacity.choices)
    declared_on = models.DateField(_("data złożenia oświadczenia"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("zarejestrował(a)")
    )
    recorded_at = models.DateTimeField(_("zarejestrowano"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oświadczenie o zachowaniu tajemnicy")
        verbose_name_plural = _("oświadczenia o zachowaniu tajemnicy")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="bluecard_declaration_once")]

    def __str__(self):
        return f"{self.user} – {self.declared_on:%d.%m.%Y}"


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
    # 004 §55: the report goes to the President accepted by the district Mayor (B12): the date and who accepted.
    accepted_on = models.DateField(_("data akceptacji przez Burmistrza Dzielnicy"), null=True, blank=True)
    accepted_by = models.CharField(_("zaakceptował(a)"), max_length=200, blank=True)
    acceptance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sprawozdanie roczne")
        verbose_name_plural = _("sprawozdania roczne")
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="bluecard_report_once")]

    def __str__(self):
        return f"{self.team} {self.year}"

    def get_absolute_url(self):
        return reverse("bluecard:statistics")

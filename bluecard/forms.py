"""Forms of the Team and Blue Card pages. Rules are checked by the services; errors land next to fields."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mopr.uploads import max_upload_display, validate_upload

from .models import (
    ChairVote,
    ClosureForum,
    ClosureReason,
    DeclarationCapacity,
    InitiatingInstitution,
    MeetingKind,
    MemberRole,
    NotificationContent,
    Requester,
    SubteamDecision,
    TeamMember,
    TerminologyPreset,
)

SCAN_EXTENSIONS = ["pdf"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateField(forms.DateField):
    widget = DATE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d.%m.%Y"])
        super().__init__(*args, **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.username} – {obj.represented_institution}"


class MembersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.username} – {obj.get_role_display()}"


class DeclarationForm(forms.Form):
    declared_on = DateField(label=_("Data podpisania oświadczenia (Załącznik nr 3)"), initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_(
            "Oświadczam, że zachowam w tajemnicy wszelkie informacje i dane uzyskane "
            "przy realizacji zadań Zespołu, także po ustaniu członkostwa (004 §43-44)."
        )
    )


class DeclarationForOtherForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Osoba"), queryset=get_user_model().objects.none())
    capacity = forms.ChoiceField(label=_("W charakterze"), choices=DeclarationCapacity.choices)
    declared_on = DateField(label=_("Data podpisania oświadczenia"), initial=timezone.localdate)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else get_user_model().objects.none()
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class MemberAppointForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Osoba (konto w systemie)"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name"),
    )
    represented_institution = forms.CharField(label=_("Reprezentowana instytucja"), max_length=250)
    email = forms.EmailField(label=_("Adres e-mail do zawiadomień"))
    role = forms.ChoiceField(label=_("Funkcja"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    order_number = forms.CharField(label=_("Numer zarządzenia o powołaniu"), max_length=80)
    order_date = DateField(label=_("Data zarządzenia o powołaniu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class MemberDismissForm(forms.Form):
    order_number = forms.CharField(label=_("Numer zarządzenia o odwołaniu"), max_length=80)
    order_date = DateField(label=_("Data zarządzenia o odwołaniu"))


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rodzaj posiedzenia"), choices=MeetingKind.choices)
    date_ = DateField(label=_("Data posiedzenia"))
    time = forms.TimeField(label=_("Godzina"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Miejsce"), max_length=250)
    agenda = forms.CharField(
        label=_("Ramowy program"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Karty pozostawione Zespołowi i zakończone procedury zostaną dopisane automatycznie (same numery)."
        ),
    )
    requested_by = forms.ChoiceField(
        label=_("Na wniosek (posiedzenie nadzwyczajne)"), required=False, choices=[("", "—")] + Requester.choices
    )
    requesting_members = MembersField(
        label=_("Członkowie wnioskujący"), required=False, queryset=TeamMember.objects.none()
    )
    shortened_notice_reason = forms.CharField(
        label=_("Uzasadnienie skrócenia terminu zawiadomienia"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    invitees = forms.CharField(
        label=_("Osoby zaproszone"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Po jednej w wierszu: imię i nazwisko; e-mail (może być pusty); adres pocztowy. Zawiadomienie "
            "otrzymują imiennie, jak członkowie (004 §14)."
        ),
    )

    def clean_invitees(self):
        invitees = []
        for number, line in enumerate(self.cleaned_data.get("invitees", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")] + ["", ""]
            name, email, address = parts[0], parts[1], ";".join(p for p in parts[2:] if p)
            if not name:
                raise forms.ValidationError(_("Wiersz %(n)s: podaj imię i nazwisko.") % {"n": number})
            if email:
                try:
                    validate_email(email)
                except forms.ValidationError:
                    raise forms.ValidationError(
                        _("Wiersz %(n)s: nieprawidłowy adres e-mail.") % {"n": number}
                    ) from None
            invitees.append({"name": name[:200], "email": email, "address": address[:300]})
        return invitees

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is not None:
            # B3: the notice period is the Team's (preset, editable in the admin), not a number written here.
            self.fields["shortened_notice_reason"].help_text = _(
                "Wymagane, gdy do posiedzenia nadzwyczajnego zostało mniej niż %(n)s dni roboczych (004 §13)."
            ) % {"n": team.extraordinary_notice_working_days}
            self.fields["requesting_members"].queryset = TeamMember.objects.filter(
                team=team, dismissing_order_date__isnull=True
            ).select_related("user")


class AttendanceForm(forms.Form):
    members = MembersField(label=_("Obecni członkowie Zespołu"), required=False, queryset=TeamMember.objects.none())

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["members"].queryset = queryset


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Imię i nazwisko osoby zaproszonej"), max_length=200)
    affiliation = forms.CharField(label=_("Instytucja lub funkcja"), max_length=200, required=False)
    undertaking_on = DateField(
        label=_("Data zobowiązania do zachowania tajemnicy"),
        required=False,
        help_text=_("Bez zobowiązania osoba zaproszona nie może uczestniczyć (004 §15)."),
    )


class ResolutionForm(forms.Form):
    number = forms.CharField(label=_("Numer uchwały"), max_length=40, required=False)
    subject = forms.CharField(label=_("Przedmiot uchwały"), max_length=300)
    votes_for = forms.IntegerField(label=_("Głosy za"), min_value=0)
    votes_against = forms.IntegerField(label=_("Głosy przeciw"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("Głosy wstrzymujące się"), min_value=0)
    chair_vote = forms.ChoiceField(
        label=_("Głos Przewodniczącego (rozstrzyga przy równej liczbie głosów)"),
        required=False,
        choices=[("", "—")] + ChairVote.choices,
    )


class UrgentDecisionForm(forms.Form):
    subject = forms.CharField(label=_("Przedmiot decyzji"), max_length=300)
    note = forms.CharField(label=_("Notatka – dlaczego bez formy uchwały"), widget=forms.Textarea(attrs={"rows": 3}))


class RemarkForm(forms.Form):
    text = forms.CharField(label=_("Uwaga do protokołu"), widget=forms.Textarea(attrs={"rows": 3}))


class CardForm(forms.Form):
    received_on = DateField(label=_("Data wpływu formularza"), initial=timezone.localdate)
    initiating_institution = forms.ChoiceField(
        label=_("Podmiot wszczynający procedurę"), choices=InitiatingInstitution.choices
    )
    initiating_body = forms.CharField(label=_("Nazwa jednostki wszczynającej"), max_length=250, required=False)
    person_experiencing = forms.CharField(label=_("Osoba doznająca przemocy (imię i nazwisko)"), max_length=250)
    family_address = forms.CharField(
        label=_("Adres zamieszkania rodziny"),
        max_length=300,
        required=False,
        help_text=_("Np. ul. Lipowa 12/3 – wskaże rejon opiekuńczy i pracownika socjalnego."),
    )
    persons_suspected = forms.CharField(
        label=_("Osoby, wobec których istnieje podejrzenie stosowania przemocy"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    children = forms.CharField(
        label=_("Dzieci w rodzinie (imię, rok urodzenia)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scan = forms.FileField(label=_("Skan formularza (PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].help_text = _("Plik PDF, największy dopuszczalny rozmiar: %(max)s.") % {
            "max": max_upload_display()
        }

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            try:
                # The one upload rule (settings.ATTACHMENT_MAX_BYTES); the scan of the form is a PDF only.
                validate_upload(scan, "scan", extensions=SCAN_EXTENSIONS)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.messages) from None
            head = scan.read(5)
            scan.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("Plik nie jest dokumentem PDF."))
        return scan


class SubteamForm(forms.Form):
    members = MembersField(
        label=_("Skład podzespołu (co najmniej 2 osoby, w tym Przewodniczący lub Zastępca)"),
        queryset=TeamMember.objects.none(),
    )
    decision = forms.ChoiceField(label=_("Decyzja"), choices=SubteamDecision.Decision.choices)
    coordinator = MemberChoiceField(label=_("Koordynator grupy"), required=False, queryset=TeamMember.objects.none())
    decided_on = DateField(label=_("Data decyzji"), initial=timezone.localdate)
    note = forms.CharField(label=_("Uzasadnienie / uwagi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, team=None, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        counts = counts or {}
        queryset = TeamMember.objects.filter(team=team, dismissing_order_date__isnull=True).select_related("user")
        self.fields["members"].queryset = queryset
        self.fields["coordinator"].queryset = queryset
        self.fields["coordinator"].label_from_instance = lambda m: (
            _("%(name)s – %(inst)s (prowadzone karty: %(n)s)")
            % {
                "name": m.user.get_full_name() or m.user.username,
                "inst": m.represented_institution,
                "n": counts.get(m.pk, 0),
            }
        )


class GroupMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Osoba (konto w systemie)"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name"),
    )
    institution_name = forms.CharField(label=_("Instytucja"), max_length=250)
    joined_on = DateField(label=_("Od dnia"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class GroupMeetingForm(forms.Form):
    held_on = DateField(label=_("Data spotkania"), initial=timezone.localdate)
    at_seat = forms.BooleanField(label=_("Spotkanie w siedzibie Zespołu"), required=False, initial=True)
    place = forms.CharField(label=_("Miejsce (gdy poza siedzibą)"), max_length=250, required=False)
    place_reason = forms.CharField(
        label=_("Uzasadnienie spotkania poza siedzibą"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Obecni członkowie grupy"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    third_persons = forms.CharField(
        label=_("Osoby trzecie obecne na spotkaniu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    third_persons_reason = forms.CharField(
        label=_("Uzasadnienie obecności osób trzecich"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Np. tłumacz, stan zdrowia uczestnika (004 §37)."),
    )
    findings = forms.CharField(label=_("Przebieg spotkania i ustalenia"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = group.members.filter(left_on__isnull=True).select_related("user")


class HelpActionForm(forms.Form):
    description = forms.CharField(label=_("Działanie planu pomocy"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("Odpowiedzialny"), max_length=250)
    due_on = DateField(label=_("Termin"), required=False)


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Przyczyna zakończenia (004 §32)"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    forum = forms.ChoiceField(label=_("Gdzie podjęto decyzję (004 §33)"), choices=ClosureForum.choices)
    decided_on = DateField(label=_("Data zakończenia procedury"), initial=timezone.localdate)
    transferred_to = forms.CharField(label=_("Zespół, któremu przekazano procedurę"), max_length=250, required=False)
    actions_summary = forms.CharField(label=_("Opis podjętych działań"), widget=forms.Textarea(attrs={"rows": 4}))


class BreachForm(forms.Form):
    occurred_on = DateField(label=_("Data zdarzenia"), initial=timezone.localdate)
    description = forms.CharField(
        label=_("Opis naruszenia"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Nie wpisuj danych osób objętych procedurą – wystarczy numer karty."),
    )


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Rok sprawozdawczy"), min_value=2000, max_value=2100)


class ReportAcceptanceForm(forms.Form):
    """B12 (004 §55): the district Mayor's acceptance of the annual report."""

    accepted_on = forms.DateField(label=_("Data akceptacji"), widget=DATE)
    accepted_by = forms.CharField(
        label=_("Zaakceptował(a)"), max_length=200, help_text=_("Np. Burmistrz Dzielnicy – imię i nazwisko.")
    )


class NotificationContentForm(forms.Form):
    content = forms.ChoiceField(
        label=_("Powiadomienie o wpłynięciu karty zawiera"), choices=NotificationContent.choices
    )


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Terminologia i terminy procedury"), choices=TerminologyPreset.choices)

"""Otwarte konkursy ofert (G1-G10): competitions, offerors, offers with their cost estimate, the committee,
the formal and merit cards, results, the President's decision and reduced grants.

Sources: seed 003 (Zarządzenie nr 55/2022 Dyrektora MOPR with its conditions and annexes 1-4),
UDPP art. 11-19.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from units.models import ExplicitGroupObjectPermissionBase, explicit_grant_index

from .validators import validate_krs, validate_nip, validate_regon

MONEY = {"max_digits": 12, "decimal_places": 2}

# 003 §4.7: the attachments required with every offer (also the formal card's items a-f, annex 3).
REQUIRED_ATTACHMENTS = [
    ("register_extract", _("aktualny odpis z rejestru lub wyciąg z ewidencji bądź inne dokumenty potwierdzające "
                           "status prawny oferenta i umocowanie osób go reprezentujących")),
    ("statute", _("statut")),
    ("powers_of_attorney", _("pełnomocnictwa niezbędne do reprezentowania oferenta")),
    ("no_other_funding", _("oświadczenie oferenta o nieubieganiu się o inne środki budżetowe Miasta "
                           "(Załącznik nr 2 do warunków konkursu)")),
    ("premises_title", _("dokument poświadczający prawo do zajmowania lokalu, w którym realizowane ma być zadanie")),
    ("staff_qualifications", _("udokumentowane przygotowanie zawodowe osób pracujących w ramach zadania")),
]

# Annex 3 (karta oceny formalnej oferty): every criterion yes/no, in the order of the card.
FORMAL_CRITERIA = [
    ("on_time", _("Oferta została złożona w terminie i w miejscu, określonych w szczegółowych warunkach "
                  "otwartego konkursu ofert")),
    ("proper_form", _("Oferta została złożona na właściwym formularzu z jednakową sumą kontrolną")),
    ("eligible_offeror", _("Oferta została złożona przez podmiot uprawniony")),
    ("properly_filled", _("Oferta została wypełniona prawidłowo (m.in. wszystkie pola wymagane zostały "
                          "wypełnione)")),
    ("right_task", _("Oferta została złożona na zadanie wskazane w ogłoszeniu o konkursie")),
    ("signed", _("Oferta została podpisana przez osoby uprawnione do reprezentacji oferenta")),
    *[(f"att_{key}", label) for key, label in REQUIRED_ATTACHMENTS],
    ("grant_max_90", _("Złożono ofertę o przyznanie dotacji w wysokości nie większej niż 90 % kosztów "
                       "finansowych realizacji całego zadania")),
    ("own_min_10", _("Złożono ofertę, w której wkład własny wynosi co najmniej 10 %")),
]

# Annex 4 (karta oceny merytorycznej oferty): (section, key, label, maximum points). Maximum 100.
MERIT_SECTIONS = [
    ("I", _("Możliwość realizacji zadania publicznego przez oferenta")),
    ("II", _("Przedstawiona kalkulacja kosztów realizacji zadania, w tym w odniesieniu do zakresu rzeczowego "
             "zadania")),
    ("III", _("Jakość wykonania przez oferenta zadania publicznego")),
    ("IV", _("Kwalifikacje osób, przy udziale których oferent będzie realizował zadanie publiczne")),
    ("V", _("Zasięg pomocy oferowanej przez podmiot")),
    ("VI", _("Ocena realizacji zleconych zadań publicznych, w tym rzetelność i terminowość wykonywania "
             "dotychczas zrealizowanych przedsięwzięć finansowanych ze środków publicznych")),
]
MERIT_CRITERIA = [
    ("I", "i1", _("posiada bazę lokalową umożliwiającą realizację zadania"), 5),
    ("I", "i2", _("posiada odpowiednie zasoby techniczne i wyposażenie potrzebne do realizacji zadania"), 5),
    ("I", "i3", _("zakładane cele są spójne z rezultatami"), 5),
    ("I", "i4", _("opis planowanych działań gwarantuje osiągnięcie celu zadania"), 5),
    ("II", "ii1", _("kalkulacja kosztów jest spójna z opisem działań"), 10),
    ("II", "ii2", _("wnioskowana dotacja jest adekwatna do planowanych działań (czy budżet jest zawyżony/ "
                    "zaniżony)"), 10),
    ("II", "ii3", _("wydatki są zasadne w odniesieniu do zakresu rzeczowego zadania"), 10),
    ("III", "iii1", _("staranność w przygotowaniu dokumentacji ofertowej"), 5),
    ("III", "iii2", _("opis proponowanych przez oferenta działań gwarantuje właściwą realizację zadania"), 5),
    ("IV", "iv1", _("kwalifikacje osób zatrudnionych przy realizacji zadania są wystarczające"), 5),
    ("IV", "iv2", _("przewiduje się wkład osobowy, w tym pracę społeczną członków i świadczenia wolontariuszy "
                    "przy realizacji zadania"), 5),
    ("V", "v1", _("ocena skali realizowanego projektu, tj. liczba osób objętych projektem"), 5),
    ("V", "v2", _("atrakcyjność i dostępność projektu dla odbiorców"), 5),
    ("VI", "vi1", _("posiada doświadczenie w realizacji zleconych zadań publicznych w latach poprzednich"), 10),
    ("VI", "vi2", _("rzetelnie i terminowo rozliczał środki pozyskane w ramach zleconych zadań publicznych"), 10),
]
MERIT_MAX = sum(points for *_ignored, points in MERIT_CRITERIA)  # 100


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", _("projekt ogłoszenia")
    PUBLISHED = "published", _("ogłoszony – nabór ofert")
    EVALUATION = "evaluation", _("ocena ofert")
    OPINION = "opinion", _("opinia przekazana Prezydentowi")
    DECIDED = "decided", _("rozstrzygnięty zarządzeniem Prezydenta")
    RESULTS_PUBLISHED = "results_published", _("wyniki opublikowane")
    CANCELLED = "cancelled", _("unieważniony")


class Competition(models.Model):
    """Otwarty konkurs ofert (G1): ogłoszony zarządzeniem Dyrektora, z warunkami konkursu."""

    class Form(models.TextChoices):
        SUPPORT = "support", _("wsparcie realizacji zadania")
        ENTRUSTMENT = "entrustment", _("powierzenie realizacji zadania")

    class ScoreMethod(models.TextChoices):
        MEAN = "mean", _("średnia arytmetyczna ocen członków komisji")
        MEDIAN = "median", _("mediana ocen członków komisji")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="grant_competitions",
                             verbose_name=_("komórka prowadząca"))
    number = models.CharField(_("nr zadania publicznego"), max_length=40, blank=True)
    title = models.CharField(_("nazwa zadania publicznego"), max_length=400)
    scope = models.CharField(_("zakres zadań publicznych"), max_length=300, blank=True,
                             help_text=_("Np. „wspieranie rodziny i systemu pieczy zastępczej”."))
    description = models.TextField(_("opis i cel zadania"))
    form = models.CharField(_("forma realizacji"), max_length=16, choices=Form.choices, default=Form.SUPPORT)
    addressees = models.TextField(_("adresaci zadania"))
    place = models.CharField(_("miejsce realizacji"), max_length=200)
    funds = models.DecimalField(_("wysokość środków publicznych (zł)"), validators=[MinValueValidator(Decimal("0.01"))],
                                **MONEY)
    year = models.PositiveSmallIntegerField(_("rok realizacji"))
    task_start = models.DateField(_("realizacja od"))
    task_end = models.DateField(_("realizacja do"))
    spending_start = models.DateField(_("wydatki kwalifikowane od"))
    spending_end = models.DateField(_("wydatki kwalifikowane do"))
    director_order_number = models.CharField(_("nr zarządzenia Dyrektora"), max_length=40)
    director_order_date = models.DateField(_("data zarządzenia Dyrektora"), null=True, blank=True)
    attachments = models.JSONField(_("wymagane załączniki"), default=list, blank=True)
    prior_year_1 = models.PositiveSmallIntegerField(_("rok poprzedni"), null=True, blank=True)
    prior_amount_1 = models.DecimalField(_("środki w roku poprzednim (zł)"), null=True, blank=True, **MONEY)
    prior_year_2 = models.PositiveSmallIntegerField(_("rok ogłoszenia"), null=True, blank=True)
    prior_amount_2 = models.DecimalField(_("środki w roku ogłoszenia (zł)"), null=True, blank=True, **MONEY)
    # configuration with the seed's values as defaults
    min_points = models.PositiveSmallIntegerField(_("minimalna liczba punktów"), default=70)
    max_grantees = models.PositiveSmallIntegerField(
        _("liczba wybieranych ofert"), default=1,
        help_text=_("003 §5.2.3: zleceniobiorcą zostaje oferta oceniona najwyżej."))
    score_method = models.CharField(_("sposób ustalania oceny"), max_length=8, choices=ScoreMethod.choices,
                                    default=ScoreMethod.MEAN)

    status = models.CharField(_("status"), max_length=20, choices=CompetitionStatus.choices,
                              default=CompetitionStatus.DRAFT, db_index=True)
    published_on = models.DateField(_("data ogłoszenia"), null=True, blank=True)
    offer_deadline = models.DateTimeField(_("termin składania ofert"), null=True, blank=True)
    decision_due = models.DateField(_("termin rozstrzygnięcia"), null=True, blank=True)
    results_computed_at = models.DateTimeField(_("wyniki obliczono"), null=True, blank=True)
    director_opinion = models.TextField(_("opinia Dyrektora dla Prezydenta"), blank=True)
    director_opinion_on = models.DateField(_("data przedstawienia opinii"), null=True, blank=True)
    director_opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+",
                                            verbose_name=_("opinię przedstawił(a)"))
    president_order_number = models.CharField(_("nr zarządzenia Prezydenta"), max_length=40, blank=True)
    president_order_date = models.DateField(_("data zarządzenia Prezydenta"), null=True, blank=True)
    results_published_on = models.DateField(_("data publikacji wyników"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("utworzył(a)"))
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    UNIT_ROLE_PERMS = {
        "staff": ["view_competition", "change_competition"],
        "heads": ["view_competition", "change_competition"],
        "oversight": ["view_competition"],
    }
    DOCUMENT_VIEW_PERM = "view_competition"

    class Meta:
        verbose_name = _("konkurs ofert")
        verbose_name_plural = _("konkursy ofert")
        ordering = ["-year", "-pk"]
        permissions = [("evaluate_competition", _("Ocena ofert jako członek komisji konkursowej"))]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("grants:detail", args=[self.pk])

    @property
    def is_open_for_offers(self) -> bool:
        return self.status == CompetitionStatus.PUBLISHED and (
            self.offer_deadline is None or timezone.now() <= self.offer_deadline)

    @property
    def deadline_passed(self) -> bool:
        return self.offer_deadline is not None and timezone.now() > self.offer_deadline


class CompetitionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Competition, on_delete=models.CASCADE)


class CompetitionGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(Competition, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("grants_comp_gop_explicit")]


class Offeror(models.Model):
    """Oferent: organizacja pozarządowa lub podmiot z art. 3 ust. 3 UDPP."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("stowarzyszenie")
        FOUNDATION = "foundation", _("fundacja")
        CHURCH = "church", _("kościelna osoba prawna lub jednostka organizacyjna")
        COOPERATIVE = "cooperative", _("spółdzielnia socjalna")
        SPORTS_CLUB = "sports_club", _("klub sportowy")
        COMPANY = "company", _("spółka non-profit")
        OTHER = "other", _("inna")

    name = models.CharField(_("nazwa"), max_length=300)
    legal_form = models.CharField(_("forma prawna"), max_length=16, choices=LegalForm.choices)
    register_name = models.CharField(_("rejestr lub ewidencja"), max_length=120, default="Krajowy Rejestr Sądowy")
    krs = models.CharField(_("nr KRS lub innego rejestru"), max_length=40, blank=True, validators=[validate_krs])
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("adres e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    representatives = models.TextField(_("osoby uprawnione do reprezentacji"),
                                       help_text=_("Jedna osoba w wierszu: imię, nazwisko, funkcja."))
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oferent")
        verbose_name_plural = _("oferenci")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["nip"], condition=~models.Q(nip=""),
                                               name="grants_offeror_unique_nip")]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    @property
    def representative_list(self) -> list[str]:
        return [line.strip() for line in self.representatives.splitlines() if line.strip()]


class OfferStatus(models.TextChoices):
    """The offer's procedure (grants.procedures.OFFER)."""

    REGISTERED = "registered", _("zarejestrowana")
    FORMAL_FAILED = "formal_failed", _("odrzucona formalnie")
    FORMAL_PASSED = "formal_passed", _("dopuszczona do oceny merytorycznej")
    SCORED = "scored", _("oceniona merytorycznie")
    CHOSEN = "chosen", _("wybrana – przyznano dotację")
    NOT_CHOSEN = "not_chosen", _("niewybrana – dotacji nie przyznano")
    WITHDRAWN = "withdrawn", _("wycofana przez oferenta")


class Offer(models.Model):
    """Oferta realizacji zadania publicznego, zarejestrowana w sekretariacie (G2, G3, G4)."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="offers",
                                    verbose_name=_("konkurs"))
    offeror = models.ForeignKey(Offeror, on_delete=models.PROTECT, related_name="offers", verbose_name=_("oferent"))
    received_at = models.DateTimeField(_("data i godzina wpływu do sekretariatu"))
    checksum = models.CharField(_("suma kontrolna"), max_length=64,
                                help_text=_("Suma kontrolna wersji elektronicznej (Witkac.pl)."))
    task_title = models.CharField(_("tytuł zadania w ofercie"), max_length=400)
    recipients_count = models.PositiveIntegerField(_("liczba odbiorców zadania"), null=True, blank=True)
    attachments = models.JSONField(_("załączniki (003 §4.7)"), default=dict, blank=True)
    is_joint = models.BooleanField(_("oferta wspólna"), default=False)
    representation = models.TextField(_("sposób reprezentacji wobec organu (oferta wspólna)"), blank=True)
    requested_grant = models.DecimalField(_("wnioskowana dotacja (zł)"), **MONEY)
    own_financial = models.DecimalField(_("wkład własny finansowy (zł)"), default=Decimal("0"), **MONEY)
    volunteer_hours = models.DecimalField(_("wkład osobowy – liczba godzin"), max_digits=8, decimal_places=1,
                                          default=Decimal("0"))
    volunteer_rate = models.DecimalField(_("wkład osobowy – stawka za godzinę (zł)"), default=Decimal("0"), **MONEY)
    volunteer_qualified = models.BooleanField(
        _("wolontariusze mają kwalifikacje stałego personelu"), default=False,
        help_text=_("Tylko wtedy stawka może przekroczyć 25 zł/godz. (003 §2.9 lit. e)."))
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices,
                              default=OfferStatus.REGISTERED, db_index=True)
    # results (G6, G8)
    score = models.DecimalField(_("ocena merytoryczna (pkt)"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("miejsce w rankingu"), null=True, blank=True)
    proposed_amount = models.DecimalField(_("proponowana kwota dotacji (zł)"), null=True, blank=True, **MONEY)
    granted_amount = models.DecimalField(_("przyznana dotacja (zł)"), null=True, blank=True, **MONEY)
    # reduced grant (G9)
    reduction_notified_on = models.DateField(_("zawiadomienie o niższej dotacji"), null=True, blank=True)
    withdrawal_due = models.DateField(_("termin na wycofanie oferty"), null=True, blank=True)
    withdrawn_on = models.DateField(_("data pisemnego wycofania"), null=True, blank=True)
    original_requested_grant = models.DecimalField(_("pierwotnie wnioskowana dotacja"), null=True, blank=True,
                                                   **MONEY)
    original_own_contribution = models.DecimalField(_("pierwotny wkład własny"), null=True, blank=True, **MONEY)
    updated_on = models.DateField(_("data oferty zaktualizowanej"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("zarejestrował(a)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oferta")
        verbose_name_plural = _("oferty")
        ordering = ["received_at", "pk"]
        constraints = [
            # G3 (003 §4.4): one offeror, one offer in a competition.
            models.UniqueConstraint(fields=["competition", "offeror"], name="grants_one_offer_per_offeror"),
        ]

    def __str__(self):
        return f"{self.offeror} – {self.task_title}"

    def get_absolute_url(self):
        return reverse("grants:offer_detail", args=[self.pk])

    @property
    def own_personal(self) -> Decimal:
        from .budget import volunteer_value

        return volunteer_value(self.volunteer_hours, self.volunteer_rate)

    @property
    def own_contribution(self) -> Decimal:
        return self.own_financial + self.own_personal

    @property
    def total_cost(self) -> Decimal:
        return self.requested_grant + self.own_contribution

    @property
    def is_reduced(self) -> bool:
        return self.granted_amount is not None and self.granted_amount < (
            self.original_requested_grant or self.requested_grant)


class OfferPartner(models.Model):
    """Partner oferty wspólnej (G3, 003 §2.3): jego działania w zadaniu."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="partners", verbose_name=_("oferta"))
    offeror = models.ForeignKey(Offeror, on_delete=models.PROTECT, related_name="partnerships",
                                verbose_name=_("partner"))
    actions = models.TextField(_("działania wykonywane przez partnera"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner oferty wspólnej")
        verbose_name_plural = _("partnerzy oferty wspólnej")
        constraints = [models.UniqueConstraint(fields=["offer", "offeror"], name="grants_partner_once")]

    def __str__(self):
        return str(self.offeror)


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("koszty osobowe")
    ADMINISTRATIVE = "administrative", _("koszty administracyjne")
    OTHER = "other", _("inne koszty realizacji zadania")


class EmploymentForm(models.TextChoices):
    EMPLOYMENT = "employment", _("umowa o pracę")
    MANDATE = "mandate", _("umowa zlecenie")
    SPECIFIC_WORK = "specific_work", _("umowa o dzieło")
    SECONDMENT = "secondment", _("oddelegowanie pracownika")
    OTHER = "other", _("inna")


class CostNature(models.TextChoices):
    """003 §2.15: what the grant may not pay for (ELIGIBLE is everything else)."""

    ELIGIBLE = "eligible", _("koszt kwalifikowany")
    CITY_COFUNDED = "city_cofunded", _("przedsięwzięcie dofinansowywane z budżetu Miasta")
    PRIOR_LIABILITY = "prior_liability", _("zobowiązanie powstałe przed datą umowy")
    LEASING = "leasing", _("opłaty leasingowe lub zobowiązania z tytułu kredytów")
    LAND = "land", _("nabycie lub dzierżawa gruntów")
    OFFICE_UPKEEP = "office_upkeep", _("utrzymanie biura oferenta")
    INVESTMENT = "investment", _("zadania inwestycyjne, prace remontowe i budowlane")
    BUSINESS_POLITICAL = "business_political", _("działalność gospodarcza lub polityczna")
    BUSINESS_TRIPS = "business_trips", _("wyjazdy służbowe (krajowe i zagraniczne)")
    PENALTIES = "penalties", _("kary i odsetki")
    AFTER_END = "after_end", _("opłaty poniesione po zakończeniu zadania")
    TAXES = "taxes", _("podatki, cła i opłaty skarbowe")


class CostLine(models.Model):
    """Pozycja kosztorysu oferty (G4)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="cost_lines", verbose_name=_("oferta"))
    order = models.PositiveSmallIntegerField(_("lp."), default=0)
    category = models.CharField(_("kategoria"), max_length=16, choices=CostCategory.choices)
    name = models.CharField(_("rodzaj kosztu"), max_length=300)
    nature = models.CharField(_("charakter wydatku"), max_length=20, choices=CostNature.choices,
                              default=CostNature.ELIGIBLE)
    amount = models.DecimalField(_("koszt całkowity (zł)"), validators=[MinValueValidator(Decimal("0"))], **MONEY)
    from_grant = models.DecimalField(_("w tym z dotacji (zł)"), default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0"))], **MONEY)
    persons = models.PositiveSmallIntegerField(_("liczba osób"), null=True, blank=True)
    hours = models.DecimalField(_("liczba godzin"), max_digits=8, decimal_places=1, null=True, blank=True)
    hourly_rate = models.DecimalField(_("stawka godzinowa (zł)"), null=True, blank=True, **MONEY)
    employment_form = models.CharField(_("forma zatrudnienia"), max_length=16, choices=EmploymentForm.choices,
                                       blank=True)
    fte = models.CharField(_("część etatu"), max_length=20, blank=True,
                           help_text=_("Przy umowie o pracę, np. 1/2."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pozycja kosztorysu")
        verbose_name_plural = _("pozycje kosztorysu")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Committee(models.Model):
    """Komisja konkursowa powołana zarządzeniem Dyrektora (G7)."""

    competition = models.OneToOneField(Competition, on_delete=models.CASCADE, related_name="committee",
                                       verbose_name=_("konkurs"))
    order_number = models.CharField(_("nr zarządzenia Dyrektora o powołaniu komisji"), max_length=40)
    order_date = models.DateField(_("data zarządzenia"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_committees",
                             verbose_name=_("osoba"))
    role = models.CharField(_("funkcja"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    ROLE_ORDER = {Role.CHAIR: 0, Role.DEPUTY_CHAIR: 1, Role.MEMBER: 2}

    class Meta:
        verbose_name = _("członek komisji")
        verbose_name_plural = _("członkowie komisji")
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="grants_member_once"),
            # G7 (003 annexes 3-4): one chair and one deputy chair per committee.
            models.UniqueConstraint(fields=["committee"], condition=models.Q(role="chair"),
                                    name="grants_one_chair"),
            models.UniqueConstraint(fields=["committee"], condition=models.Q(role="deputy_chair"),
                                    name="grants_one_deputy_chair"),
        ]

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

    def answer_rows(self):
        return [(label, self.answers.get(key)) for key, label in FORMAL_CRITERIA]


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

"""Core pages: the dashboard, "my deadlines", the access log for the IOD, and the health check."""

import redis
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mopr.accesslog import security_event_record
from mopr.auth import account_locked
from mopr.deadlines import digest_horizon
from mopr.models import AccessLog, Deadline, OutboxEmail, SecurityEvent
from mopr.outbox import outbox_requeue
from units import signing
from units.models import MANAGEMENT_POSITIONS, ApprovalStep
from units.permissions import is_iod
from units.selectors import primary_membership
from units.services import APPROVAL_STEP_DEADLINE

# How many rows of each part of the queue the dashboard lists; the rest is behind "see all".
QUEUE_LIMIT = 50


def person_name(user) -> str:
    return user.get_full_name() or user.username


STEP_TODO = {
    ApprovalStep.Kind.INITIAL: _lazy("Parafuj"),
    ApprovalStep.Kind.SIGNATURE: _lazy("Podpisz"),
    ApprovalStep.Kind.COUNTERSIGNATURE: _lazy("Kontrasygnuj"),
}


def _deadline_links(rows: list[Deadline]) -> None:
    """Each deadline's link: the address stored with it, else its target's ``get_absolute_url`` (the generic
    relation, fetched in one query per kind of target, never one per row)."""
    for row in rows:
        model = row.content_type.model_class()
        row.case_kind = capfirst(model._meta.verbose_name) if model else ""
    missing = [row for row in rows if not row.url]
    prefetch_related_objects(missing, "content_object")
    for row in missing:
        get_url = getattr(row.content_object, "get_absolute_url", None)
        row.url = get_url() if callable(get_url) else ""


def _stand_in_filter(user, today) -> Q | None:
    """U4: the person who acts for the Director today (the Director absent) also signs what waits for someone
    absent – the Director or the supervising Deputy (``signing.acting_signatory``); the step's page checks it
    again. A fixed handful of queries."""
    membership = primary_membership(user)
    if membership is None or membership.position not in MANAGEMENT_POSITIONS:
        return None
    institution = membership.unit.institution
    if signing.acting_for_director(institution, today) != user:
        return None
    absent = signing.absent_user_ids(today) - {user.pk}
    if not absent:
        return None
    return Q(
        kind=ApprovalStep.Kind.SIGNATURE,
        assignee_id__in=sorted(absent),
        flow__fixed_signatory=False,
        flow__unit__institution=institution,
    )


def _waiting_steps(user, today):
    """U6: the approval-flow steps waiting for the person (initials, signature, countersignature) – and, for
    whoever acts for the Director, the signatures of the absent (U4) – oldest deadline first, each with its due
    date and the case it belongs to (the flow's document's owner)."""
    step_type = ContentType.objects.get_for_model(ApprovalStep)
    due = Deadline.objects.open().filter(content_type=step_type, object_id=OuterRef("pk")).values("due")[:1]
    mine = Q(assignee=user)
    stand_in = _stand_in_filter(user, today)
    steps = list(
        ApprovalStep.objects.filter(mine | stand_in if stand_in is not None else mine)
        .filter(status=ApprovalStep.Status.PENDING)
        .select_related("flow__document", "assignee")
        .annotate(due=Subquery(due))
        .order_by(F("due").asc(nulls_last=True), "pk")[:QUEUE_LIMIT]
    )
    prefetch_related_objects(steps, "flow__document__content_object")
    for step in steps:
        owner = step.flow.document.content_object
        step.case = str(owner) if owner is not None else ""
        step.todo = STEP_TODO.get(step.kind, step.get_kind_display())
        if step.assignee_id != user.pk:
            values = {"todo": step.todo, "person": person_name(step.assignee)}
            step.todo = _("%(todo)s w zastępstwie: %(person)s") % values
        step.overdue = step.due is not None and step.due < today
    return steps


def home(request):
    """The person's work queue (K5, U6): overdue deadlines first, then those due within the digest window,
    then the documents waiting for their initials, signature or countersignature; each a link to the step.
    A fixed number of queries however long the queue is."""
    today = timezone.localdate()
    horizon = digest_horizon(today)
    mine = Deadline.objects.open().for_person(request.user).exclude(kind=APPROVAL_STEP_DEADLINE)
    soon = list(mine.filter(due__lte=horizon).select_related("content_type").order_by("due", "pk")[: QUEUE_LIMIT * 2])
    _deadline_links(soon)
    counts = mine.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)), soon=Count("pk", filter=Q(due__lte=horizon))
    )
    steps = _waiting_steps(request.user, today)
    return render(
        request,
        "mopr/home.html",
        {
            "today": today,
            "horizon": horizon,
            "overdue": [d for d in soon if d.due < today][:QUEUE_LIMIT],
            "due_soon": [d for d in soon if d.due >= today][:QUEUE_LIMIT],
            "open_count": counts["open"],
            "overdue_count": counts["overdue"],
            "later_count": counts["open"] - counts["soon"],
            "pending_steps": steps,
            "window_days": settings.DIGEST_WINDOW_WORKING_DAYS,
            "is_iod": is_iod(request.user),
        },
    )


def my_deadlines(request):
    """K5: the user's open deadlines, overdue first, then by due date."""
    today = timezone.localdate()
    deadlines = (
        Deadline.objects.open()
        .for_person(request.user)
        .annotate(overdue=Case(When(due__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("overdue", "due", "pk")
    )
    page = Paginator(deadlines, 50).get_page(request.GET.get("page"))
    return render(request, "mopr/deadlines.html", {"deadlines": page.object_list, "page_obj": page, "today": today})


@permission_required("mopr.view_accesslog", raise_exception=True)
def access_log(request):
    """The IOD's view of who read which sensitive record (U7)."""
    entries = AccessLog.objects.select_related("user", "content_type").order_by("-at")
    user_filter = request.GET.get("uzytkownik", "").strip()
    if user_filter:
        entries = entries.filter(username__icontains=user_filter)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "mopr/access_log.html",
        {
            "page_obj": page,
            "entries": page.object_list,
            "user_filter": user_filter,
            "querystring": f"uzytkownik={user_filter}" if user_filter else "",
        },
    )


@permission_required("mopr.view_securityevent", raise_exception=True)
def security_log(request):
    """The IOD's view of the security log: logins, lockouts, refusals, refused reads of special-category data
    and everything a superuser did, filtered by kind and login."""
    events = SecurityEvent.objects.order_by("-at")
    kind = request.GET.get("rodzaj", "")
    if kind in SecurityEvent.Kind.values:
        events = events.filter(kind=kind)
    username = request.GET.get("uzytkownik", "").strip()[:150]
    if username:
        events = events.filter(username__icontains=username)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mopr/security_log.html",
        {
            "page_obj": page,
            "events": page.object_list,
            "kinds": SecurityEvent.Kind.choices,
            "kind": kind,
            "user_filter": username,
            "querystring": query.urlencode(),
        },
    )


@permission_required("mopr.change_outboxemail", raise_exception=True)
def outbox_undelivered(request):
    """Undelivered e-mails for the IOD and the administrator: those whose outcome is unknown (a worker stopped
    mid-send) or that failed after every retry; after checking, a person sends them again. Bodies are not
    shown (they may name a person or a case)."""
    rows = OutboxEmail.objects.filter(status__in=[OutboxEmail.Status.UNKNOWN, OutboxEmail.Status.FAILED]).order_by(
        "-created_at"
    )
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        count = outbox_requeue(list(rows.filter(pk__in=ids)), acting_user=request.user)
        messages.success(
            request,
            ngettext(
                "Ponownie wysłana zostanie %(n)d wiadomość.", "Ponownie wysłanych zostanie %(n)d wiadomości.", count
            )
            % {"n": count},
        )
        return redirect("outbox_undelivered")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "mopr/outbox_undelivered.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "querystring": "",
            "waiting": OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, attempts__gt=0).count(),
        },
    )


@login_not_required
@never_cache
@require_GET
def health(request):
    """For the load balancer and the container healthcheck: the database answers, and Redis (sessions, cache,
    the task queue) where it is configured. 503 with the failing part named; no data, no login."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:  # noqa: BLE001
            checks["redis"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


class LoginForm(AuthenticationForm):
    """Django's form lets any length through to authenticate(); over-long input is refused here first
    (found by the fuzz tests: django-axes stores at most 255 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(150))
        self.fields["password"].validators.append(MaxLengthValidator(256))

    def clean(self):
        if self.errors:
            return self.cleaned_data
        if account_locked(self.cleaned_data.get("username") or ""):
            raise forms.ValidationError(
                _(
                    "Zbyt wiele nieudanych prób logowania na to konto. Konto jest czasowo zablokowane – spróbuj "
                    "ponownie za %(minutes)s minut lub skontaktuj się z administratorem."
                )
                % {"minutes": int(settings.ACCOUNT_LOCK_WINDOW.total_seconds() // 60)},
                code="account_locked",
            )
        return super().clean()


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return context


def permission_denied(request, exception=None):
    """403 in Polish; every refusal goes to the security log (who, when, IP, what)."""

    security_event_record(request, SecurityEvent.Kind.DENIED, detail=str(exception or ""))
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)

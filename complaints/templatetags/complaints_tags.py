from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from complaints import permissions
from mopr.deadlines import met_late as deadline_met_late

register = template.Library()


@register.inclusion_tag("complaints/_nav.html", takes_context=True)
def complaints_nav(context):
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"request": request, "show": False}
    may_wb = permissions.sees_whistleblower_reports(user)
    return {
        "request": request,
        "show": True,
        "may_register": permissions.can_register_complaint(user),
        "may_list": permissions.can_open_module(user),
        "may_wb": may_wb,
        "may_stats": permissions.can_view_statistics(user),
    }


@register.filter
def met_late(deadline) -> bool:
    """K6: a deadline met after its due date."""
    return deadline_met_late(deadline)


@register.simple_tag
def register_rows(complaints, today) -> str:
    """The register's rows written in Python (the page was Python-bound, and a Django ``{% for %}``
    over 25 rows with ten lookups each was a fifth of its CPU; the benchmark measures both side by side,
    in ``bench/rows.py``). Same markup as a template would write, escaped by
    ``format_html``."""
    rows = []
    for c in complaints:
        overdue = c.is_overdue(today)
        badge = (
            format_html(' <span class="badge">{}</span>', _("poseł, senator lub radny")) if c.is_parliamentarian else ""
        )
        units = ", ".join(u.symbol for u in c.units_concerned.all()) or "—"
        outcome = format_html("<br><small>{}</small>", c.get_outcome_display()) if c.outcome else ""
        late = format_html(" <strong>({})</strong>", _("po terminie")) if overdue else ""
        rows.append(
            format_html(
                '<tr{}><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td>'
                "<td>{}{}</td><td>{}{}</td></tr>",
                mark_safe(' class="overdue"') if overdue else "",
                c.get_absolute_url(),
                c.sign,
                c.get_kind_display(),
                date_format(c.received_on, "d.m.Y"),
                c.complainant_display,
                badge,
                c.subject,
                units,
                c.get_status_display(),
                outcome,
                date_format(c.due_date, "d.m.Y"),
                late,
            )
        )
    if not rows:
        return format_html('<tr><td colspan="8">{}</td></tr>', _("Brak wpisów."))
    return mark_safe("".join(rows))

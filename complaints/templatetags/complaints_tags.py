from django import template

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

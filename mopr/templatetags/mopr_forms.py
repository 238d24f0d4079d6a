"""``{% filter_fields form %}``: a list's filter form rendered in Python.

Django renders each widget through its own templates (a select of 30 units is 32 template renders); on a
register page that was about a quarter of the page's time. The filters are plain inputs and selects, so this
tag writes the same markup directly: label, control keeping what the user typed, and the Polish error next to
the field (``aria-invalid`` and ``aria-describedby`` tie them together).
"""

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _options(widget, selected: set[str]):
    for value, label in widget.choices:
        value = "" if value is None else str(value)
        yield value, mark_safe(" selected") if value in selected else "", label


def _control(field, attrs: dict) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        raw = field.value()
        selected = {str(v) for v in (raw if isinstance(raw, (list, tuple)) else [raw]) if v not in (None, "")}
        if not selected:
            selected = {""}
        options = format_html_join("", '<option value="{}"{}>{}</option>', _options(widget, selected))
        return format_html("<select{}>{}</select>", flatatt(attrs), options)
    value = field.value()
    if value not in (None, "") and not isinstance(value, str):
        value = widget.format_value(value)
    attrs = {"type": getattr(widget, "input_type", "text"), **attrs}
    if value not in (None, ""):
        attrs["value"] = value
    return format_html("<input{}>", flatatt(attrs))


@register.simple_tag
def filter_fields(form) -> str:
    parts = []
    for field in form:
        attrs = {**field.field.widget.attrs, "name": field.html_name, "id": field.auto_id}
        errors = ""
        if field.errors:
            error_id = f"{field.auto_id}-error"
            attrs.update({"aria-invalid": "true", "aria-describedby": error_id})
            errors = format_html(
                '<small class="field-error" id="{}">{}</small>', error_id, " ".join(str(e) for e in field.errors)
            )
        parts.append(
            format_html(
                '<div><label for="{}">{}</label>{}{}</div>', field.auto_id, field.label, _control(field, attrs), errors
            )
        )
    return mark_safe("".join(parts))

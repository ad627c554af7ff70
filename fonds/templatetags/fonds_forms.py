"""Accessible forms: the error summary above a form and the KERN classes on every widget.

{% error_summary form formset ... %} lists every error of the given forms and formsets as links to
their fields; fonds/static/fonds/forms.js moves the focus to it when the page loads.
"""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()

_INPUT_CLASS = "kern-form-input__input"
_SELECT_CLASS = "kern-form-input__select"


def _kern_class(widget) -> str:
    if isinstance(widget, forms.RadioSelect) and not isinstance(widget, forms.CheckboxSelectMultiple):
        return "kern-form-check__radio"
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.Select):
        return _SELECT_CLASS
    if isinstance(widget, (forms.widgets.Input, forms.Textarea)):
        return _INPUT_CLASS
    return ""


@register.simple_tag
def kern_widget(field):
    """The field's widget with KERN's class (and its error modifier) added to the form's own classes."""
    widget = field.field.widget
    if field.is_hidden:
        return field.as_widget()
    kern = _kern_class(widget)
    if not kern:
        return field.as_widget()
    classes = [widget.attrs.get("class", ""), kern, f"{kern}--error" if field.errors else ""]
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


@register.filter
def is_select(field) -> bool:
    widget = field.field.widget
    return isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


def _target(bound_field) -> str:
    """Where a link to the field lands: the input itself, or the first option of a radio or checkbox group."""
    target = bound_field.id_for_label or (f"{bound_field.auto_id}_0" if bound_field.auto_id else "")
    return f"#{target}" if target else ""


def _form_items(form, position=None) -> list[dict]:
    items = [{"text": str(error)} for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        items += [{"text": str(error)} for error in hidden.errors]
    for field in form.visible_fields():
        label = str(field.label or field.name).rstrip(":")
        if position is not None:
            label = _("Position %(number)s: %(label)s") % {"number": position, "label": label}
        items += [{"text": f"{label}: {error}", "href": _target(field)} for error in field.errors]
    return items


def error_items(*forms_or_formsets) -> list[dict]:
    items = []
    for candidate in forms_or_formsets:
        if hasattr(candidate, "non_form_errors") and hasattr(candidate, "forms"):
            items += [{"text": str(error)} for error in candidate.non_form_errors()]
            for number, form in enumerate(candidate.forms, start=1):
                items += _form_items(form, position=number)
        elif hasattr(candidate, "non_field_errors"):
            items += _form_items(candidate)
    return items


@register.inclusion_tag("fonds/forms/error_summary.html")
def error_summary(*forms_or_formsets):
    return {"items": error_items(*forms_or_formsets)}

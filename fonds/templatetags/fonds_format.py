from django import template

from fonds import formatting

register = template.Library()


@register.filter
def euro(value):
    return formatting.euro(value)


@register.filter
def date_de(value):
    return formatting.date_de(value)

"""Filters for letter templates: German money, dates and numbers.

Letter data is frozen JSON, so amounts arrive as decimal strings ("1234.50") and dates as ISO strings
("2026-05-01"). The filters accept those and the Python types alike."""

import re
from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from fonds import formatting

register = template.Library()


@register.filter
def euro(value) -> str:
    """"1234.5" or Decimal → "1.234,50 €". A malformed amount raises: a Bescheid with a silently
    blank or wrong sum is worse than a failed rendering task."""
    return formatting.euro(value)


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text)
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@register.filter
def date_de(value) -> str:
    """"2026-05-01", a date or a datetime → "01.05.2026"."""
    return formatting.date_de(_as_date(value))


@register.filter
def number_de(value) -> str:
    """"50" → "50", "5.27" → "5,27": rates and percentages with a German decimal comma."""
    if value in (None, ""):
        return ""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


_ABBREVIATION_GAP = re.compile(r"\b(\w{1,3}\.) (?=\w{1,3}\.)")


@register.filter
def keep_abbreviations(value) -> str:
    """"e. V." → "e.\u00a0V.": abbreviations of letters stay on one line (DIN 5008 writes them with a
    space, and a line break inside "e. V." in the address field looks like a typo)."""
    return _ABBREVIATION_GAP.sub("\\1\u00a0", str(value or ""))


@register.simple_tag
def amount_sum(*values) -> str:
    """Sum of decimal strings, blanks counted as zero: `{% amount_sum a b c as total %}`."""
    total = sum((Decimal(str(v)) for v in values if v not in (None, "")), Decimal("0"))
    return str(total.quantize(Decimal("0.01")))


@register.filter
def positive(value) -> bool:
    """True if a decimal string is above zero; templates cannot compare "0.00" with 0 themselves."""
    return value not in (None, "") and Decimal(str(value)) > 0

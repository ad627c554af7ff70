"""German formats: 1.234,56 € and TT.MM.JJJJ."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def euro(value) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{'.'.join(groups)},{cents}\u00a0€"


def date_de(value) -> str:
    if isinstance(value, str) and value:
        value = date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y") if value else ""

from datetime import date, timedelta
from functools import lru_cache

import holidays


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


@lru_cache(maxsize=64)
def _public_holidays(subdivision: str, year: int) -> frozenset:
    return frozenset(holidays.Germany(subdiv=subdivision, years=year))


def is_working_day(day: date, subdivision: str = "NW") -> bool:
    """Monday to Friday and not a public holiday of the Land (NRW by default)."""
    return day.weekday() < 5 and day not in _public_holidays(subdivision, day.year)


def add_working_days(start: date, days: int, subdivision: str = "NW") -> date:
    """The day on which `days` working days after `start` have passed (start itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, subdivision):
            remaining -= 1
    return day

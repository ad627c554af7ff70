from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


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


def next_working_day(day: date, subdivision: str = "NW") -> date:
    """`day` itself if it is a working day, else the next one (§ 222 Abs. 2 ZPO, § 57 Abs. 2 VwGO)."""
    while not is_working_day(day, subdivision):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class NoticeDates:
    """When a posted notice counts as made known and when it can no longer be challenged."""

    posted_on: date
    notice_on: date  # Bekanntgabe: the n-th day after posting (§ 41 Abs. 2 VwVfG NRW)
    appeal_period_ends: date  # last day for an action at the Verwaltungsgericht (§ 74 VwGO)
    final_on: date  # Bestandskraft: the day after the period, or the day the waiver of appeal came in
    by_waiver: bool


def notice_dates(*, posted_on: date, waiver_received_on: date | None = None, days_after_posting: int | None = None,
                 subdivision: str = "NW") -> NoticeDates:
    """Bekanntgabe and Bestandskraft of a notice sent by ordinary post.

    - Bekanntgabe on the `days_after_posting`-th day after posting (§ 41 Abs. 2 VwVfG NRW: three; the federal
      VwVfG says four since 2025, hence the setting). The day itself is not moved off a weekend.
    - The action period is one month from the Bekanntgabe (§ 74 Abs. 1 VwGO): it ends with the day of the next
      month that has the Bekanntgabe's date number, or with that month's last day if it has no such date
      (§§ 187 Abs. 1, 188 Abs. 2 und 3 BGB via § 57 VwGO, § 222 Abs. 1 ZPO); a period ending on a Saturday,
      Sunday or public holiday ends on the next working day (§ 222 Abs. 2 ZPO).
    - Final on the day after the period, or earlier on the day a waiver of appeal was received."""
    if days_after_posting is None:
        days_after_posting = getattr(settings, "FONDSFLOW_NOTICE_DAYS_AFTER_POSTING", 3)
    notice_on = posted_on + timedelta(days=days_after_posting)
    period_ends = next_working_day(add_months(notice_on, 1), subdivision)
    final_on = period_ends + timedelta(days=1)
    by_waiver = waiver_received_on is not None and waiver_received_on < final_on
    return NoticeDates(posted_on=posted_on, notice_on=notice_on, appeal_period_ends=period_ends,
                       final_on=waiver_received_on if by_waiver else final_on, by_waiver=by_waiver)

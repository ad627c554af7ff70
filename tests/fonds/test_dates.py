"""Working days: weekends and the Land's public holidays do not count."""

from datetime import date

import pytest

from fonds.dates import add_months, add_working_days, add_years, is_working_day


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),   # Friday + 1 → Monday
    (date(2026, 12, 23), 2, date(2026, 12, 28)),   # 24 Dec counts; 25/26 Dec are holidays, then the weekend
    (date(2026, 12, 30), 2, date(2027, 1, 4)),     # over New Year: 31 Dec, (1 Jan holiday, weekend), 4 Jan
    (date(2027, 3, 25), 1, date(2027, 3, 30)),     # Karfreitag and Ostermontag
    (date(2027, 5, 26), 1, date(2027, 5, 28)),     # Fronleichnam is a holiday in NRW
    (date(2026, 11, 25), 10, date(2026, 12, 9)),   # ten working days for the eligibility check
])
def test_working_days_skip_weekends_and_nrw_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_the_land_decides_which_days_are_holidays():
    corpus_christi = date(2027, 5, 27)
    assert not is_working_day(corpus_christi, "NW")
    assert is_working_day(corpus_christi, "HH")  # not a holiday in Hamburg


def test_calendar_arithmetic_keeps_month_and_leap_year_ends():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_years(date(2028, 2, 29), 10) == date(2038, 2, 28)

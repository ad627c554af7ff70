"""Bekanntgabe and Bestandskraft of a posted Bescheid (fonds.dates.notice_dates): § 41 Abs. 2 VwVfG NRW,
§ 74 VwGO, §§ 187, 188 BGB, § 222 ZPO. Pure dates, no database."""

from datetime import date

import pytest

from fonds.dates import notice_dates


def test_the_notice_is_made_known_on_the_third_day_and_final_the_day_after_the_month():
    # Tuesday 28.01.2025 posted: known Friday 31.01.; the month ends with 28.02. (no 31 February), a Friday.
    n = notice_dates(posted_on=date(2025, 1, 28), days_after_posting=3)
    assert n.notice_on == date(2025, 1, 31)
    assert n.appeal_period_ends == date(2025, 2, 28)
    assert n.final_on == date(2025, 3, 1) and not n.by_waiver


def test_31_january_ends_on_29_february_in_a_leap_year():
    n = notice_dates(posted_on=date(2028, 1, 28), days_after_posting=3)
    assert n.notice_on == date(2028, 1, 31)
    assert n.appeal_period_ends == date(2028, 2, 29)  # a Tuesday
    assert n.final_on == date(2028, 3, 1)


def test_a_period_ending_on_a_sunday_runs_to_the_monday():
    # Known on Sunday 31.01.2027 (the day itself is not moved); 28.02.2027 is a Sunday.
    n = notice_dates(posted_on=date(2027, 1, 28), days_after_posting=3)
    assert n.notice_on == date(2027, 1, 31)
    assert n.appeal_period_ends == date(2027, 3, 1)
    assert n.final_on == date(2027, 3, 2)


def test_a_period_ending_on_an_nrw_holiday_runs_to_the_next_working_day():
    # Known 01.10.2027; 01.11.2027 is a Monday and Allerheiligen, a holiday in NRW but not in Berlin.
    nrw = notice_dates(posted_on=date(2027, 9, 28), days_after_posting=3)
    assert nrw.appeal_period_ends == date(2027, 11, 2) and nrw.final_on == date(2027, 11, 3)
    berlin = notice_dates(posted_on=date(2027, 9, 28), days_after_posting=3, subdivision="BE")
    assert berlin.appeal_period_ends == date(2027, 11, 1)


def test_christmas_and_the_weekend_after_it_push_the_end_to_monday():
    # Known 25.11.2026; 25.12. (Friday) and 26.12. are holidays, 27.12. a Sunday.
    n = notice_dates(posted_on=date(2026, 11, 22), days_after_posting=3)
    assert n.notice_on == date(2026, 11, 25)
    assert n.appeal_period_ends == date(2026, 12, 28)


def test_a_waiver_received_earlier_makes_the_notice_final_on_that_day():
    n = notice_dates(posted_on=date(2025, 1, 28), waiver_received_on=date(2025, 2, 3), days_after_posting=3)
    assert n.final_on == date(2025, 2, 3) and n.by_waiver
    assert n.appeal_period_ends == date(2025, 2, 28)  # still shown: what would have applied


def test_a_waiver_after_the_period_changes_nothing():
    n = notice_dates(posted_on=date(2025, 1, 28), waiver_received_on=date(2025, 3, 5), days_after_posting=3)
    assert n.final_on == date(2025, 3, 1) and not n.by_waiver


@pytest.mark.parametrize(("days", "notice_on", "period_ends"), [
    (3, date(2025, 1, 31), date(2025, 2, 28)),
    # The federal VwVfG's fourth day (since 2025): known Saturday 01.02., 01.03. is a Saturday -> Monday 03.03.
    (4, date(2025, 2, 1), date(2025, 3, 3)),
])
def test_the_number_of_days_after_posting_is_a_setting(settings, days, notice_on, period_ends):
    settings.FONDSFLOW_NOTICE_DAYS_AFTER_POSTING = days
    n = notice_dates(posted_on=date(2025, 1, 28))
    assert (n.notice_on, n.appeal_period_ends) == (notice_on, period_ends)

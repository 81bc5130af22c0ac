"""Opening hours: the grammar of data/sample/README.md, "open now" in Bangkok time, and the Thai wording.

Dates are real 2026 days: Mon 13 Apr (Songkran), Thu 10 Dec (Constitution Day) and Mon 7 Dec (in lieu of
Sat 5 Dec) are public holidays; Wed 9 Dec, Fri 11 Dec, Sat 11 Apr and Mon 20 Apr are not."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from data.models import BANGKOK
from data.opening_hours import OpeningHours, OpeningHoursError, is_thai_holiday, thai_holidays

OFFICE = "mon-fri 08:30-16:30; sat 09:00-12:00"
LUNCH_BREAK = "mon-fri 08:30-12:00,13:00-16:30; hol closed"
NIGHTS = "fri-sat 18:00-02:00"


def hours(text: str) -> OpeningHours:
    parsed = OpeningHours.parse(text)
    assert parsed is not None
    return parsed


def bkk(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BANGKOK)


def test_empty_text_is_unknown_not_closed() -> None:
    assert OpeningHours.parse("") is None
    assert OpeningHours.parse("   ") is None


def test_holiday_calendar_is_thailands() -> None:
    days = thai_holidays(2026)
    assert {date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15), date(2026, 12, 10)} <= days
    assert date(2026, 12, 7) in days  # in lieu of the King Bhumibol day falling on a Saturday
    assert not is_thai_holiday(date(2026, 12, 11))
    assert not is_thai_holiday(date(2026, 4, 20))


@pytest.mark.parametrize(("at", "expected"), [
    (bkk(20, 4, 8, 29), False),   # Monday, a minute before opening
    (bkk(20, 4, 8, 30), True),    # opening minute is open
    (bkk(20, 4, 16, 29), True),
    (bkk(20, 4, 16, 30), False),  # closing minute is closed
    (bkk(11, 4, 11, 59), True),   # Saturday morning
    (bkk(11, 4, 12, 0), False),
    (bkk(12, 4, 10, 0), False),   # Sunday is not listed: closed
])
def test_office_hours(at: datetime, expected: bool) -> None:
    assert hours(OFFICE).is_open(at) is expected


@pytest.mark.parametrize(("at", "expected"), [
    (bkk(20, 4, 12, 30), False),  # lunch break
    (bkk(20, 4, 13, 0), True),
    (bkk(13, 4, 10, 0), False),   # Monday, but Songkran
    (bkk(9, 12, 10, 0), True),    # Wednesday before Constitution Day
    (bkk(10, 12, 10, 0), False),  # Constitution Day, a Thursday
    (bkk(7, 12, 10, 0), False),   # a Monday off in lieu
])
def test_holiday_closure_overrides_weekdays(at: datetime, expected: bool) -> None:
    assert hours(LUNCH_BREAK).is_open(at) is expected


def test_a_holiday_rule_applies_only_where_it_comes_later() -> None:
    before = hours("hol closed; mon-fri 08:00-16:00")
    assert before.is_open(bkk(13, 4, 10))  # the weekday rule replaces "hol closed" on a holiday Monday
    assert hours("mon-fri 08:00-16:00; hol 09:00-12:00").is_open(bkk(13, 4, 11))
    assert not hours("mon-fri 08:00-16:00; hol 09:00-12:00").is_open(bkk(13, 4, 13))
    assert hours("hol 10:00-14:00").is_open(bkk(11, 4, 12)) is False  # an ordinary Saturday
    assert hours("hol 10:00-14:00").is_open(bkk(10, 12, 12))


@pytest.mark.parametrize(("at", "expected"), [
    (bkk(17, 4, 17, 59), False),  # Friday before opening
    (bkk(17, 4, 18, 0), True),
    (bkk(17, 4, 23, 59), True),
    (bkk(18, 4, 1, 0), True),     # 01:00 Saturday: Friday's span
    (bkk(18, 4, 1, 59), True),
    (bkk(18, 4, 2, 0), False),
    (bkk(18, 4, 12, 0), False),
    (bkk(19, 4, 1, 0), True),     # 01:00 Sunday: Saturday's span, though Sunday is not listed
    (bkk(19, 4, 18, 0), False),
    (bkk(17, 4, 1, 0), False),    # 01:00 Friday: Thursday had no span
])
def test_across_midnight(at: datetime, expected: bool) -> None:
    assert hours(NIGHTS).is_open(at) is expected


def test_a_span_that_started_on_a_holiday_follows_that_days_rule() -> None:
    late = hours("mon-sun 20:00-02:00; hol closed")
    assert late.is_open(bkk(10, 12, 1))       # Constitution Day 01:00: Wednesday's span, not a holiday
    assert not late.is_open(bkk(10, 12, 21))  # the holiday evening is closed
    assert not late.is_open(bkk(11, 12, 1))   # so is its tail on Friday morning
    assert late.is_open(bkk(12, 12, 1))       # Friday's span


def test_24_00_ends_the_day() -> None:
    late = hours("sat 10:00-24:00")
    assert late.is_open(bkk(11, 4, 23, 59))
    assert not late.is_open(bkk(12, 4, 0, 0))
    always = hours("mon-sun 00:00-24:00")
    assert all(always.is_open(bkk(day, 4, hour, 30)) for day in range(13, 20) for hour in range(24))


@pytest.mark.parametrize(("at", "expected"), [
    (bkk(11, 4, 10), True),   # Saturday
    (bkk(12, 4, 10), True),   # Sunday
    (bkk(13, 4, 10), True),   # Monday (a holiday, but there is no hol rule)
    (bkk(14, 4, 10), False),  # Tuesday
    (bkk(17, 4, 10), False),  # Friday
])
def test_day_ranges_wrap_over_the_week_end(at: datetime, expected: bool) -> None:
    assert hours("sat-mon 09:00-17:00").is_open(at) is expected


def test_a_later_rule_replaces_an_earlier_one() -> None:
    shifted = hours("mon-fri 08:00-16:00; wed 12:00-20:00")
    assert not shifted.is_open(bkk(15, 4, 9))  # Wednesday morning: the later rule replaced the earlier
    assert shifted.is_open(bkk(15, 4, 19))
    assert shifted.is_open(bkk(16, 4, 9))      # Thursday still follows the first rule
    assert not hours("mon-fri 08:00-16:00; fri closed").is_open(bkk(17, 4, 9))


def test_time_is_taken_in_bangkok() -> None:
    office = hours(OFFICE)
    assert office.is_open(datetime(2026, 4, 20, 2, 0, tzinfo=UTC))       # 09:00 in Bangkok
    assert not office.is_open(datetime(2026, 4, 20, 10, 0, tzinfo=UTC))  # 17:00 in Bangkok
    assert hours(NIGHTS).is_open(datetime(2026, 4, 17, 18, 0, tzinfo=UTC))  # Saturday 01:00
    with pytest.raises(ValueError, match="aware"):
        office.is_open(datetime(2026, 4, 20, 9, 0))


@pytest.mark.parametrize(("text", "message"), [
    ("mon-fri", "rule 1 .* has no times"),
    ("mon-fri 08:00-12:00; mun 09:00-12:00", "rule 2 .*unknown day 'mun'"),
    ("mon-fri 08:00-12:00;", "rule 2 is empty"),
    ("mon-fri 08:00-12:00;; sat closed", "rule 2 is empty"),
    ("mon,,tue 08:00-12:00", "unknown day ''"),
    ("hol-mon 08:00-12:00", "puts hol in a range"),
    ("mon-mon 08:00-12:00", "from a day to itself"),
    ("mon,mon-wed 08:00-12:00", "names mon more than once"),
    ("mon 8:30-12:00", "time '8:30' is not HH:MM"),
    ("mon 08:30-12", "time '12' is not HH:MM"),
    ("mon 08:60-12:00", "time '08:60' does not exist"),
    ("mon 08:00-25:00", "time '25:00' does not exist"),
    ("mon 08:00-24:30", "time '24:30' does not exist"),
    ("mon 24:00-08:00", "starts at 24:00"),
    ("mon 08:00-08:00", "is empty"),
    ("mon 08:00", "'08:00' is not a span"),
    ("mon 08:00-12:00,11:00-13:00", "spans 08:00-12:00 and 11:00-13:00 overlap"),
    ("mon 20:00-02:00,22:00-23:00", "overlap"),
    ("mon closed,08:00-12:00", "\"closed\" cannot be mixed"),
    ("mon 08:00-12:00 13:00-16:00", "contain a space"),
])
def test_bad_input_says_what_and_where(text: str, message: str) -> None:
    with pytest.raises(OpeningHoursError, match=message):
        OpeningHours.parse(text)


def test_errors_are_value_errors_for_the_importer() -> None:
    assert issubclass(OpeningHoursError, ValueError)


@pytest.mark.parametrize("text", [
    OFFICE, LUNCH_BREAK, NIGHTS, "sat-mon 10:00-24:00", "mon,wed,fri-sun 09:00-10:00; hol 10:00-11:00",
    "mon-sun closed", "mon 00:00-24:00; tue 22:00-00:00",
])
def test_str_round_trips(text: str) -> None:
    parsed = hours(text)
    assert str(parsed) == text
    assert OpeningHours.parse(str(parsed)) == parsed


def test_str_is_canonical() -> None:
    parsed = hours("  Mon-Fri 08:30-16:30 ;SAT   09:00-12:00;hol Closed ")
    assert str(parsed) == "mon-fri 08:30-16:30; sat 09:00-12:00; hol closed"
    assert OpeningHours.parse(str(parsed)) == parsed


@pytest.mark.parametrize(("text", "thai"), [
    (OFFICE, "จ.–ศ. 08:30–16:30, ส. 09:00–12:00"),
    (LUNCH_BREAK, "จ.–ศ. 08:30–12:00 และ 13:00–16:30, ปิดวันหยุดนักขัตฤกษ์"),
    ("mon-fri 08:30-16:30; sat 09:00-12:00; hol closed", "จ.–ศ. 08:30–16:30, ส. 09:00–12:00, ปิดวันหยุดนักขัตฤกษ์"),
    (NIGHTS, "ศ.–ส. 18:00–02:00"),
    ("sat-mon 10:00-24:00", "ส.–จ. 10:00–24:00"),
    ("mon-sun 08:00-20:00", "ทุกวัน 08:00–20:00"),
    ("mon-sun closed", "ปิดทุกวัน"),
    ("mon-fri 08:00-16:00; hol 09:00-12:00", "จ.–ศ. 08:00–16:00, วันหยุดนักขัตฤกษ์ 09:00–12:00"),
    ("hol closed; mon-fri 08:00-16:00", "จ.–ศ. 08:00–16:00"),
    ("mon-fri 08:00-16:00; hol closed; wed 08:00-16:00",
     "จ.–ศ. 08:00–16:00, ปิดวันหยุดนักขัตฤกษ์ที่ตรงกับ จ., อ., พฤ., ศ."),
])
def test_describe_in_thai(text: str, thai: str) -> None:
    assert hours(text).describe() == thai


@pytest.mark.parametrize(("text", "at", "thai"), [
    (OFFICE, bkk(20, 4, 7), "วันนี้เปิด 08:30–16:30"),
    (OFFICE, bkk(12, 4, 10), "วันนี้ปิด"),
    (LUNCH_BREAK, bkk(20, 4, 7), "วันนี้เปิด 08:30–12:00 และ 13:00–16:30"),
    (LUNCH_BREAK, bkk(13, 4, 10), "วันนี้ปิด (วันหยุดนักขัตฤกษ์)"),
    (NIGHTS, bkk(18, 4, 1), "วันนี้เปิดถึง 02:00 และ 18:00–02:00"),
    (NIGHTS, bkk(19, 4, 1), "วันนี้เปิดถึง 02:00"),
    (NIGHTS, bkk(19, 4, 3), "วันนี้ปิด"),
])
def test_today_in_thai(text: str, at: datetime, thai: str) -> None:
    assert hours(text).today(at) == thai

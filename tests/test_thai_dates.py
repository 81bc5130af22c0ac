"""Thai dates: Buddhist year, abbreviated month and weekday, always Bangkok time."""
from __future__ import annotations

from datetime import UTC, date, datetime

from bot.flex.thai_dates import thai_date, thai_day, thai_time


def test_dates_use_the_buddhist_year_and_thai_months() -> None:
    assert thai_date(date(2026, 12, 12)) == "12 ธ.ค. 2569"


def test_times_are_bangkok_times_even_from_utc() -> None:
    late_utc = datetime(2026, 12, 11, 20, 30, tzinfo=UTC)  # 03:30 the next day in Bangkok
    assert thai_time(late_utc) == "12 ธ.ค. 2569 03:30"
    assert thai_day(late_utc) == "ส. 12 ธ.ค. 2569"

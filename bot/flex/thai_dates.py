"""Dates and times as Thai readers write them: Buddhist year, abbreviated month, Bangkok time."""
from __future__ import annotations

from datetime import date, datetime

from pythainlp.util import thai_strftime

from data.models import BANGKOK
from data.opening_hours import DAY_LABELS, WEEK


def thai_date(day: date) -> str:
    """"12 ธ.ค. 2569"."""
    return thai_strftime(datetime(day.year, day.month, day.day), "%-d %b %Y")


def thai_day(moment: datetime) -> str:
    """"ส. 12 ธ.ค. 2569" in Bangkok; pythainlp's %a drops the abbreviation's dot ("ส"), which people write."""
    local = moment.astimezone(BANGKOK)
    return f"{DAY_LABELS[WEEK[local.weekday()]]} {thai_date(local.date())}"


def thai_time(moment: datetime) -> str:
    """"12 ธ.ค. 2569 09:30" in Bangkok."""
    local = moment.astimezone(BANGKOK)
    return f"{thai_date(local.date())} {local:%H:%M}"

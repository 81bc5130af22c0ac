"""A centre's opening hours: parse the `opening_hours` cell (data/sample/README.md), answer "is it open now",
and say it in Thai."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from data.models import BANGKOK

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names in `date.weekday()` order."""
HOLIDAY = "hol"
DAY_LABELS = {"mon": "จ.", "tue": "อ.", "wed": "พ.", "thu": "พฤ.", "fri": "ศ.", "sat": "ส.", "sun": "อา."}
MINUTES_PER_DAY = 24 * 60
_TIME = re.compile(r"(\d\d):(\d\d)")


class OpeningHoursError(ValueError):
    """The text does not follow the `opening_hours` grammar; the message names the rule and the token."""


@lru_cache(maxsize=32)
def thai_holidays(year: int) -> frozenset[date]:
    """Thailand's public holidays (the `holidays` package's PUBLIC category, in-lieu days included), offline.

    Holidays the Cabinet declares later than the pinned package release are not known."""
    return frozenset(holidays.country_holidays("TH", years=year))


def is_thai_holiday(day: date) -> bool:
    return day in thai_holidays(day.year)


@dataclass(frozen=True)
class Span:
    """Minutes since local midnight; `end` ≤ `start` means the span ends on the next day."""
    start: int
    end: int

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


@dataclass(frozen=True)
class DayRange:
    """One day, or an inclusive range over the week that may wrap (`sat-mon`)."""
    first: str
    last: str

    @property
    def days(self) -> tuple[str, ...]:
        if self.first == HOLIDAY:
            return (HOLIDAY,)
        start, stop = WEEK.index(self.first), WEEK.index(self.last)
        return tuple(WEEK[(start + offset) % 7] for offset in range((stop - start) % 7 + 1))

    def __str__(self) -> str:
        return self.first if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Rule:
    days: tuple[DayRange, ...]
    spans: tuple[Span, ...]
    """Empty when the rule says `closed`."""

    def __str__(self) -> str:
        times = ",".join(str(span) for span in self.spans) or "closed"
        return f"{','.join(str(days) for days in self.days)} {times}"


@dataclass(frozen=True)
class OpeningHours:
    rules: tuple[Rule, ...]
    _latest: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)
    """Day name → index of the last rule naming it: later rules replace earlier ones."""

    def __post_init__(self) -> None:
        latest = {day: index for index, rule in enumerate(self.rules) for days in rule.days for day in days.days}
        object.__setattr__(self, "_latest", latest)

    @classmethod
    def parse(cls, text: str) -> OpeningHours | None:
        """None for an empty cell: the hours are unknown, which is not the same as closed."""
        if not text.strip():
            return None
        return cls(tuple(_parse_rule(number, part.strip())
                         for number, part in enumerate(text.strip().split(";"), start=1)))

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """The spans that start on this calendar day; a holiday rule applies only where it comes later."""
        candidates = [self._latest.get(WEEK[day.weekday()], -1)]
        if HOLIDAY in self._latest and is_thai_holiday(day):
            candidates.append(self._latest[HOLIDAY])
        chosen = max(candidates)
        return self.rules[chosen].spans if chosen >= 0 else ()

    def is_open(self, at: datetime) -> bool:
        local = _bangkok(at)
        minute = local.hour * 60 + local.minute
        today, yesterday = local.date(), local.date() - timedelta(days=1)
        return (any(span.start <= minute < (MINUTES_PER_DAY if span.overnight else span.end)
                    for span in self.spans_on(today))
                or any(span.overnight and minute < span.end for span in self.spans_on(yesterday)))

    def today(self, at: datetime) -> str:
        """Thai, e.g. "วันนี้เปิด 08:30–16:30"; a span still running from last night counts as today's."""
        local = _bangkok(at)
        minute = local.hour * 60 + local.minute
        carried = [span for span in self.spans_on(local.date() - timedelta(days=1))
                   if span.overnight and minute < span.end]
        parts = [f"ถึง {_clock(span.end)}" for span in carried]
        parts.extend(_thai_span(span) for span in self.spans_on(local.date()))
        if parts:
            return "วันนี้เปิด" + ("" if carried else " ") + " และ ".join(parts)
        closed_for_holiday = (self._latest.get(HOLIDAY, -1) > self._latest.get(WEEK[local.weekday()], -1)
                              and is_thai_holiday(local.date()))
        return "วันนี้ปิด (วันหยุดนักขัตฤกษ์)" if closed_for_holiday else "วันนี้ปิด"

    def describe(self) -> str:
        """Short Thai, e.g. "จ.–ศ. 08:30–16:30, ส. 09:00–12:00, ปิดวันหยุดนักขัตฤกษ์"."""
        week = [self.rules[index].spans if (index := self._latest.get(day, -1)) >= 0 else () for day in WEEK]
        parts = [f"{label} {' และ '.join(_thai_span(span) for span in spans)}"
                 for label, spans in _runs(week) if spans]
        parts.extend(self._describe_holidays(week))
        return ", ".join(parts) or "ปิดทุกวัน"

    def _describe_holidays(self, week: list[tuple[Span, ...]]) -> list[str]:
        if HOLIDAY not in self._latest:
            return []
        index = self._latest[HOLIDAY]
        spans = self.rules[index].spans
        # A holiday rule only reaches the weekdays whose own rule comes before it.
        reached = [self._latest.get(day, -1) < index for day in WEEK]
        if not spans:
            open_reached = [bool(week[day]) and reached[day] for day in range(7)]
            if not any(open_reached):
                return []
            if all(reached[day] for day in range(7) if week[day]):
                return ["ปิดวันหยุดนักขัตฤกษ์"]
            return [f"ปิดวันหยุดนักขัตฤกษ์ที่ตรงกับ {_day_list(open_reached)}"]
        times = " และ ".join(_thai_span(span) for span in spans)
        if all(reached):
            return [f"วันหยุดนักขัตฤกษ์ {times}"]
        return [f"วันหยุดนักขัตฤกษ์ที่ตรงกับ {_day_list(reached)} {times}"] if any(reached) else []

    def __str__(self) -> str:
        return "; ".join(str(rule) for rule in self.rules)


def _parse_rule(number: int, text: str) -> Rule:
    where = f"rule {number} ({text!r})" if text else f"rule {number}"
    if not text:
        raise OpeningHoursError(f"{where} is empty: rules are separated by \"; \" with nothing after the last one")
    days_text, _, times_text = text.partition(" ")
    times_text = times_text.strip()
    if not times_text:
        raise OpeningHoursError(f"{where} has no times: expected days, a space, then \"closed\" or HH:MM-HH:MM")
    days = tuple(_parse_days(where, part) for part in days_text.split(","))
    named = [day for days_range in days for day in days_range.days]
    repeated = sorted({day for day in named if named.count(day) > 1}, key=(WEEK + (HOLIDAY,)).index)
    if repeated:
        raise OpeningHoursError(f"{where} names {', '.join(repeated)} more than once")
    if times_text.lower() == "closed":
        return Rule(days, ())
    if re.search(r"\s", times_text):
        raise OpeningHoursError(f"{where}: the times contain a space; separate spans with \",\" and rules with \"; \"")
    if "closed" in times_text.lower().split(","):
        raise OpeningHoursError(f"{where}: \"closed\" cannot be mixed with spans in one rule")
    spans = tuple(_parse_span(where, part) for part in times_text.split(","))
    _check_no_overlap(where, spans)
    return Rule(days, spans)


def _parse_days(where: str, text: str) -> DayRange:
    first, dash, last = text.lower().partition("-")
    if not dash:
        last = first
    for day in (first, last):
        if day not in WEEK and day != HOLIDAY:
            raise OpeningHoursError(f"{where}: unknown day {day!r}, expected one of "
                                    f"{', '.join(WEEK + (HOLIDAY,))}")
    if dash and HOLIDAY in (first, last):
        raise OpeningHoursError(f"{where}: {text!r} puts hol in a range; hol stands alone")
    if dash and first == last:
        raise OpeningHoursError(f"{where}: {text!r} is a range from a day to itself; write {first!r}")
    return DayRange(first, last)


def _parse_span(where: str, text: str) -> Span:
    start_text, dash, end_text = text.partition("-")
    if not dash:
        raise OpeningHoursError(f"{where}: {text!r} is not a span, expected HH:MM-HH:MM or \"closed\"")
    start, end = _parse_time(where, start_text), _parse_time(where, end_text)
    if start == MINUTES_PER_DAY:
        raise OpeningHoursError(f"{where}: {text!r} starts at 24:00; 24:00 may only end a span")
    if start == end:
        raise OpeningHoursError(f"{where}: {text!r} is empty (starts and ends at the same time); "
                                f"a whole day is 00:00-24:00")
    return Span(start, end)


def _parse_time(where: str, text: str) -> int:
    matched = _TIME.fullmatch(text)
    if matched is None:
        raise OpeningHoursError(f"{where}: time {text!r} is not HH:MM (24 h, two digits each)")
    hours, minutes = int(matched[1]), int(matched[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise OpeningHoursError(f"{where}: time {text!r} does not exist; use 00:00 to 23:59, or 24:00 as an end")
    return hours * 60 + minutes


def _check_no_overlap(where: str, spans: tuple[Span, ...]) -> None:
    """Spans of one rule may not overlap on the day they start (a span past midnight runs on to its end)."""
    ordered = sorted(spans, key=lambda span: span.start)
    for first, second in zip(ordered, ordered[1:]):
        if second.start < first.end + (MINUTES_PER_DAY if first.overnight else 0):
            pair = str(first) if first == second else f"{first} and {second}"
            raise OpeningHoursError(f"{where}: spans {pair} overlap")


def _bangkok(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("opening hours need an aware datetime (with a time zone)")
    return at.astimezone(BANGKOK)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _thai_span(span: Span) -> str:
    return f"{_clock(span.start)}–{_clock(span.end)}"


def _runs(week: list[tuple[Span, ...]]) -> list[tuple[str, tuple[Span, ...]]]:
    """Runs of consecutive days with the same spans, labelled "จ.–ศ."; a run may wrap ("ส.–จ."); "ทุกวัน"."""
    if all(spans == week[0] for spans in week):
        return [("ทุกวัน", week[0])]
    runs: list[tuple[int, int]] = []
    for day in range(7):
        if runs and week[runs[-1][1]] == week[day]:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    if week[0] == week[6]:
        runs = runs[1:-1] + [(runs[-1][0], runs[0][1])]
    return [(_day_label(first, last), week[first]) for first, last in runs]


def _day_label(first: int, last: int) -> str:
    if first == last:
        return DAY_LABELS[WEEK[first]]
    return f"{DAY_LABELS[WEEK[first]]}–{DAY_LABELS[WEEK[last]]}"


def _day_list(chosen: list[bool]) -> str:
    return ", ".join(DAY_LABELS[WEEK[day]] for day in range(7) if chosen[day])

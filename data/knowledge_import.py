"""Import centres, courses, course sessions and FAQ entries from the CSVs documented in the README
("Knowledge data"). Rows are validated in full before anything is written; re-importing updates by key."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import geothai
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Session

from data.centres import SERVICE_LABELS
from data.csv_import import (
    Find,
    ImportReport,
    Raw,
    RowError,
    boolean,
    bounded,
    code,
    max_length,
    number,
    optional,
    read_csv,
    required,
    split_list,
    upsert,
    url,
)
from data.models import Centre, CentreType, Course, CourseFormat, CourseSession, FaqEntry, LocationPrecision
from data.opening_hours import OpeningHours, OpeningHoursError

THAILAND_LATITUDE = (5.5, 20.6)
THAILAND_LONGITUDE = (97.3, 105.7)
"""A coordinate outside these is a typo (swapped columns, a missing digit), not a Thai centre."""
REDUCED_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
ILLUSTRATIVE_NOTE = "illustrative (not a real session)"
MAX_FAQ_ANSWER = 1000
"""Long enough for an explainer, short enough to read in a chat bubble."""
MAX_FAQ_QUESTION = 300
"""LINE's limit on a quick reply's text and a postback's displayText, which a question becomes."""


def _choice(raw: Raw, column: str, choices: type[Any]) -> Any:
    value = required(raw, column)
    try:
        return choices(value)
    except ValueError:
        raise RowError(f"{column} must be one of {[member.value for member in choices]}, got {value!r}") from None


def _area_codes(raw: Raw) -> dict[str, str | None]:
    """geothai codes, each inside its parent: a typo here would put a centre in the wrong province."""
    province = required(raw, "province_code")
    district = optional(raw, "district_code")
    subdistrict = optional(raw, "subdistrict_code")
    if geothai.province(province) is None:
        raise RowError(f"unknown province_code {province!r}")
    if district is not None and (not district.startswith(province) or geothai.district(district) is None):
        raise RowError(f"district_code {district!r} is not a district of province {province}")
    if subdistrict is not None and (district is None or not subdistrict.startswith(district)
                                    or geothai.subdistrict(subdistrict) is None):
        raise RowError(f"subdistrict_code {subdistrict!r} is not a subdistrict of district {district}")
    return {"province_code": province, "district_code": district, "subdistrict_code": subdistrict}


def _coordinates(raw: Raw) -> dict[str, float | None]:
    latitude = number(raw, "latitude", float)
    longitude = number(raw, "longitude", float)
    if (latitude is None) != (longitude is None):
        raise RowError("latitude and longitude must both be given or both be empty")
    if latitude is not None and longitude is not None and not (
            THAILAND_LATITUDE[0] <= latitude <= THAILAND_LATITUDE[1]
            and THAILAND_LONGITUDE[0] <= longitude <= THAILAND_LONGITUDE[1]):
        raise RowError(f"coordinates {latitude},{longitude} are outside Thailand")
    return {"latitude": latitude, "longitude": longitude}


def _opening_hours(raw: Raw) -> str | None:
    try:
        hours = OpeningHours.parse(raw.get("opening_hours") or "")
    except OpeningHoursError as error:
        raise RowError(f"opening_hours: {error}") from None
    return bounded(str(hours), "opening_hours", max_length(Centre.opening_hours)) if hours is not None else None


def parse_centre(raw: Raw) -> dict[str, Any]:
    services = split_list(raw, "services")
    unknown = [service for service in services if service not in SERVICE_LABELS]
    if unknown:
        raise RowError(f"unknown service(s) {unknown}; known: {sorted(SERVICE_LABELS)}")
    opened_on = optional(raw, "opened_on")
    if opened_on is not None and not REDUCED_ISO_DATE.match(opened_on):
        raise RowError(f"opened_on must be YYYY-MM-DD, YYYY-MM or YYYY: {opened_on!r}")
    return {"code": code(raw), "name": required(raw, "name", max_length(Centre.name)),
            "type": _choice(raw, "type", CentreType), "hosts": split_list(raw, "host"),
            "address": optional(raw, "address"), **_area_codes(raw), **_coordinates(raw),
            "location_precision": _choice(raw, "location_precision", LocationPrecision),
            "phone": optional(raw, "phone", max_length(Centre.phone)), "opening_hours": _opening_hours(raw),
            "services": services, "opened_on": opened_on, "active": boolean(raw, "active", default=True),
            "source_url": optional(raw, "source_url"), "note": optional(raw, "note")}


def parse_course(raw: Raw) -> dict[str, Any]:
    hours = number(raw, "hours", float)
    if hours is not None and hours <= 0:
        raise RowError(f"hours must be positive: {hours}")
    return {"code": code(raw), "title": required(raw, "title", max_length(Course.title)),
            "provider": optional(raw, "provider", max_length(Course.provider)),
            "description": optional(raw, "description"), "format": _choice(raw, "format", CourseFormat),
            "hours": hours, "url": url(raw, "url", max_length(Course.url)), "audience": optional(raw, "audience"),
            "topics": split_list(raw, "topics"), "source_url": optional(raw, "source_url"),
            "note": optional(raw, "note")}


def _moment(raw: Raw, column: str) -> datetime:
    value = required(raw, column)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"{column} is not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise RowError(f"{column} needs a UTC offset (e.g. +07:00): {value!r}")
    return moment


@dataclass(frozen=True)
class SessionReferences:
    """What a session row may point at, read once per import."""

    courses: frozenset[str]
    centres: frozenset[str]

    def parse(self, raw: Raw) -> dict[str, Any]:
        course_code = required(raw, "course_code")
        if course_code not in self.courses:
            raise RowError(f"unknown course_code {course_code!r}: import the course first")
        centre_code = optional(raw, "centre_code")
        if centre_code is not None and centre_code not in self.centres:
            raise RowError(f"unknown centre_code {centre_code!r}: import the centre first")
        starts_at, ends_at = _moment(raw, "start"), _moment(raw, "end")
        if ends_at <= starts_at:
            raise RowError("end must be after start")
        seats = number(raw, "seats", int)
        if seats is not None and seats < 0:
            raise RowError(f"seats must not be negative: {seats}")
        return {"course_code": course_code, "centre_code": centre_code, "starts_at": starts_at, "ends_at": ends_at,
                "seats": seats,
                "registration_url": url(raw, "registration_url", max_length(CourseSession.registration_url)),
                "source_url": optional(raw, "source_url"),
                "illustrative": (optional(raw, "note") or "").lower() == ILLUSTRATIVE_NOTE}


def parse_faq(raw: Raw) -> dict[str, Any]:
    questions = split_list(raw, "questions", "|")
    if not questions:
        raise RowError("questions is empty")
    for index, question in enumerate(questions, start=1):
        bounded(question, f"question {index}", MAX_FAQ_QUESTION)
    answer = required(raw, "answer")
    if len(answer) > MAX_FAQ_ANSWER:
        raise RowError(f"answer is {len(answer)} characters; keep it under {MAX_FAQ_ANSWER}")
    return {"code": code(raw), "questions": questions, "answer": answer,
            "link": url(raw, "link", max_length(FaqEntry.link)),
            "tags": split_list(raw, "tags"), "source_url": optional(raw, "source_url")}


def _by_code(model: type[DeclarativeBase]) -> Find:
    return lambda session, values: session.get(model, values["code"])


def _find_session(session: Session, values: dict[str, Any]) -> CourseSession | None:
    return session.scalar(select(CourseSession).where(
        CourseSession.course_code == values["course_code"], CourseSession.starts_at == values["starts_at"],
        CourseSession.centre_code.is_(None) if values["centre_code"] is None
        else CourseSession.centre_code == values["centre_code"]))


def _import(session: Session, path: Path, model: type[DeclarativeBase], columns: tuple[str, ...],
            parse: Callable[[Raw], dict[str, Any]], find: Find, keep: Callable[[dict[str, Any]], bool] = lambda _: True
            ) -> ImportReport:
    report = ImportReport()
    rows = list(read_csv(path, columns, parse, report))
    kept = [row for row in rows if keep(row)]
    report.skipped = len(rows) - len(kept)
    return upsert(session, model, find, kept, report)


def import_centres(session: Session, path: Path) -> ImportReport:
    return _import(session, path, Centre, ("code", "name", "type", "province_code", "location_precision"),
                   parse_centre, _by_code(Centre))


def import_courses(session: Session, path: Path) -> ImportReport:
    return _import(session, path, Course, ("code", "title", "format"), parse_course, _by_code(Course))


def import_sessions(session: Session, path: Path, include_illustrative: bool) -> ImportReport:
    """Illustrative rows (demo data, see data/sample/README.md) are skipped unless asked for."""
    references = SessionReferences(courses=frozenset(session.scalars(select(Course.code))),
                                   centres=frozenset(session.scalars(select(Centre.code))))
    return _import(session, path, CourseSession, ("course_code", "start", "end"), references.parse, _find_session,
                   keep=lambda row: include_illustrative or not row["illustrative"])


def import_faq(session: Session, path: Path) -> ImportReport:
    return _import(session, path, FaqEntry, ("code", "questions", "answer"), parse_faq, _by_code(FaqEntry))

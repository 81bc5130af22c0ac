"""The agencies a tip can be routed to: read and check data/agencies.yaml, sync it into the `agencies` table."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import yaml
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import update_columns
from data.models import Agency, Claim
from nlp.route import LabelledClaim

FALLBACK_AGENCY = "afnc"
"""The AFNC central desk: routing's last resort, and the agency every other one falls back on."""

AGENCIES_FILE = Path(__file__).with_name("agencies.yaml")
DEFAULT_SLA_HOURS = 2.0
AFNC_CATEGORIES = frozenset({"นโยบายรัฐบาล-ข่าวสาร", "ผลิตภัณฑ์สุขภาพ", "การเงิน-หุ้น", "ความสงบและความมั่นคง",
                             "ภัยพิบัติ", "เศรษฐกิจ", "คลังความรู้", "ยาเสพติด", "ข่าวอื่นๆ"})
"""The categories AFNC files claims under; a misspelt one would silently cut an agency off from routing."""
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
"""Short, lowercase ASCII and at most 32 characters: it is the `agencies.code` primary key."""
FIELDS = ("code", "name", "categories", "keywords", "aliases", "sla_hours")
MAX_NAME_LENGTH = 200


class AgencyFileError(ValueError):
    """The agencies file cannot be used; the message names the file, the agency and the field."""


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    aliases: tuple[str, ...]
    """Exact spellings of the agency in the `agency` column of AFNC's CSV."""
    sla_hours: float = DEFAULT_SLA_HOURS


@dataclass
class SyncReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


def _fail(where: str, field: str, problem: str) -> NoReturn:
    raise AgencyFileError(f"{where}: {field}: {problem}")


def _strings(entry: Mapping[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = entry.get(field)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        _fail(where, field, "must be a list of non-empty texts")
    items = tuple(item.strip() for item in value)
    duplicates = sorted({item for item in items if items.count(item) > 1})
    if duplicates:
        _fail(where, field, f"repeats {', '.join(duplicates)}")
    return items


def _parse_agency(entry: Any, source: str, number: int) -> AgencySpec:
    """The `number`th entry of the file `source`; errors name the file, the agency's code and the field."""
    where = f"{source}: agency #{number}"
    if not isinstance(entry, Mapping):
        raise AgencyFileError(f"{where}: must be a mapping with the fields {', '.join(FIELDS)}")
    code = entry.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        _fail(where, "code", f"must be lowercase ASCII letters, digits or _ (at most 32), got {code!r}")
    where = f"{source}: agency {code}"
    unknown = sorted(set(map(str, entry)) - set(FIELDS))
    if unknown:
        _fail(where, ", ".join(unknown), f"unknown field; the fields are {', '.join(FIELDS)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME_LENGTH:
        _fail(where, "name", f"must be a non-empty text of at most {MAX_NAME_LENGTH} characters")
    categories = _strings(entry, "categories", where)
    unknown_categories = [category for category in categories if category not in AFNC_CATEGORIES]
    if unknown_categories:
        _fail(where, "categories", f"not an AFNC category: {', '.join(unknown_categories)} "
                                   f"(known: {', '.join(sorted(AFNC_CATEGORIES))})")
    sla_hours = entry.get("sla_hours", DEFAULT_SLA_HOURS)
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, (int, float)) or not 0 < sla_hours <= 24 * 14:
        _fail(where, "sla_hours", f"must be a number of hours above 0 and at most two weeks, got {sla_hours!r}")
    return AgencySpec(code=code, name=name.strip(), categories=categories, keywords=_strings(entry, "keywords", where),
                      aliases=_strings(entry, "aliases", where), sla_hours=float(sla_hours))


def load_agencies(path: Path = AGENCIES_FILE) -> tuple[AgencySpec, ...]:
    """Every agency in the file, checked: valid fields, unique codes, each alias naming one agency, the desk."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AgencyFileError(f"{path}: cannot read: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise AgencyFileError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(document, list):
        raise AgencyFileError(f"{path}: must be a list of agencies")
    specs = tuple(_parse_agency(entry, str(path), number) for number, entry in enumerate(document, 1))
    codes = [spec.code for spec in specs]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise AgencyFileError(f"{path}: agency {twice[0]}: code: used by more than one agency")
    owner: dict[str, str] = {}
    for spec in specs:
        for field, spellings in (("name", (spec.name,)), ("aliases", spec.aliases)):
            for spelling in spellings:
                other = owner.setdefault(_alias_key(spelling), spec.code)
                if other != spec.code:
                    raise AgencyFileError(f"{path}: agency {spec.code}: {field}: {spelling!r} already names {other}")
    if FALLBACK_AGENCY not in codes:
        raise AgencyFileError(f"{path}: agency {FALLBACK_AGENCY}: missing; the AFNC desk is the routing fallback")
    return specs


def _alias_key(text: str) -> str:
    # AFNC's column has doubled spaces and decomposed vowels; neither makes it another agency.
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@cache
def _alias_index(specs: tuple[AgencySpec, ...]) -> dict[str, str]:
    return {_alias_key(spelling): spec.code for spec in specs for spelling in (spec.name, *spec.aliases)}


def agency_for_alias(specs: tuple[AgencySpec, ...], agency: str | None) -> str | None:
    """The code of the agency a claim's `agency` text names: one of its aliases (AFNC's CSV) or its name (what a
    coordinator's verdict records); None when no agency has that spelling."""
    if not agency or not agency.strip():
        return None
    return _alias_index(specs).get(_alias_key(agency))


NAME_MATCH_CUTOFF = 80
"""rapidfuzz partial_ratio: a typed part of a name, or a name with a typo, still finds the agency."""
NAME_MATCH_SPREAD = 10
"""Only names about as good as the best: "ธนาคารกรุงเทพ" lists ธนาคารกรุงเทพ, not every other bank as well."""


def agencies_named(specs: Sequence[AgencySpec], query: str, limit: int) -> list[AgencySpec]:
    """The agencies whose name or an alias matches what a coordinator typed, best first."""
    key = _alias_key(query)
    if len(key) < 2:
        return []
    spellings = [(spec, _alias_key(spelling)) for spec in specs for spelling in (spec.name, *spec.aliases)]
    hits = process.extract(key, [spelling for _spec, spelling in spellings], scorer=fuzz.partial_ratio,
                           score_cutoff=NAME_MATCH_CUTOFF, limit=None)
    best: dict[str, tuple[float, AgencySpec]] = {}
    for _spelling, score, row in hits:
        spec = spellings[row][0]
        if score > best.get(spec.code, (-1.0, spec))[0]:
            best[spec.code] = (score, spec)
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].name))
    return [spec for score, spec in ranked if score >= ranked[0][0] - NAME_MATCH_SPREAD][:limit]


def _values(spec: AgencySpec) -> dict[str, Any]:
    return {"name": spec.name, "categories": list(spec.categories), "keywords": list(spec.keywords),
            "aliases": list(spec.aliases), "sla_hours": spec.sla_hours, "active": True}


def sync_agencies(session: Session, specs: Sequence[AgencySpec]) -> SyncReport:
    """Upsert the agencies by code; any not in `specs` is deactivated, never deleted, as cases refer to it."""
    report = SyncReport()
    existing = {agency.code: agency for agency in session.scalars(select(Agency))}
    for spec in specs:
        agency = existing.get(spec.code)
        values = _values(spec)
        if agency is None:
            session.add(Agency(code=spec.code, **values))
            report.inserted += 1
            continue
        if update_columns(agency, values):
            report.updated += 1
        else:
            report.unchanged += 1
    listed = {spec.code for spec in specs}
    for code, agency in existing.items():
        if code not in listed and agency.active:
            agency.active = False
            report.deactivated += 1
    session.flush()
    return report


def active_agencies(session: Session) -> tuple[AgencySpec, ...]:
    """The agencies tips may be routed to, as last synced, by code."""
    return tuple(AgencySpec(code=agency.code, name=agency.name, categories=tuple(agency.categories),
                            keywords=tuple(agency.keywords), aliases=tuple(agency.aliases), sla_hours=agency.sla_hours)
                 for agency in session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.code)))


def labelled_claims(session: Session, specs: tuple[AgencySpec, ...]) -> list[LabelledClaim]:
    """Every verified claim as the router learns from it, ordered by claim id (as data.claims.claim_texts is, so
    embeddings line up); the agency is a code from `specs`, or None when the claim names none of them."""
    rows = session.execute(select(Claim.text, Claim.agency, Claim.category).order_by(Claim.id))
    return [(text, agency_for_alias(specs, agency), category) for text, agency, category in rows]

"""What every CSV importer shares: reading rows with their line numbers, field parsers that explain what is
wrong, and an upsert by key that reports inserted, updated and unchanged rows."""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import DeclarativeBase, QueryableAttribute, Session

from data.db import update_columns

T = TypeVar("T")
Raw = dict[str, "str | None"]
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
"""Stable lowercase keys, so a re-import updates the row instead of adding a second one."""


class RowError(ValueError):
    """A CSV row that cannot be imported; the message is shown to the operator with the line number."""


@dataclass
class ImportReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def summary(self, what: str) -> str:
        skipped = f", skipped {self.skipped}" if self.skipped else ""
        return (f"{what}: inserted {self.inserted}, updated {self.updated}, unchanged {self.unchanged}"
                f"{skipped}, rejected {len(self.rejected)}")


def read_csv(path: Path, required: Iterable[str], parse: Callable[[Raw], T], report: ImportReport) -> Iterator[T]:
    """Yield parsed rows; a row `parse` rejects is recorded in `report` with its line number and skipped."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise RowError(f"{path}: missing column(s) {', '.join(missing)}")
        for raw in reader:
            # reader.line_num is the physical line the row ended on, which is what an editor shows.
            try:
                yield parse(raw)
            except RowError as error:
                report.rejected.append((reader.line_num, str(error)))


def count_rows(path: Path) -> int:
    """Data rows in the file, for a progress bar."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for _record in csv.reader(handle)) - 1, 0)


def max_length(attribute: QueryableAttribute[Any]) -> int:
    """The size of a model's String column (`Centre.phone`), so each limit is stated once, in data/models.py."""
    length = getattr(attribute.type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{attribute} is not a String column of a fixed size")
    return length


def bounded(value: str, column: str, limit: int) -> str:
    """PostgreSQL refuses a value longer than its column at flush, which would abort the whole file."""
    if len(value) > limit:
        raise RowError(f"{column} is {len(value)} characters; at most {limit}")
    return value


def optional(raw: Raw, column: str, limit: int | None = None) -> str | None:
    value = (raw.get(column) or "").strip()
    if limit is not None:
        bounded(value, column, limit)
    return value or None


def required(raw: Raw, column: str, limit: int | None = None) -> str:
    value = optional(raw, column, limit)
    if value is None:
        raise RowError(f"{column} is empty")
    return value


def code(raw: Raw, column: str = "code") -> str:
    value = required(raw, column)
    if not CODE_PATTERN.match(value):
        raise RowError(f"{column} must be lowercase letters, digits and '-': {value!r}")
    return value


def split_list(raw: Raw, column: str, separator: str = ";") -> list[str]:
    return [item.strip() for item in (raw.get(column) or "").split(separator) if item.strip()]


def url(raw: Raw, column: str, limit: int | None = None) -> str | None:
    value = optional(raw, column, limit)
    if value is not None and not value.startswith(("http://", "https://")):
        raise RowError(f"{column} must start with http(s)://: {value!r}")
    return value


def number(raw: Raw, column: str, convert: Callable[[str], T]) -> T | None:
    value = optional(raw, column)
    if value is None:
        return None
    try:
        return convert(value)
    except ValueError:
        raise RowError(f"{column} is not a number: {value!r}") from None


def boolean(raw: Raw, column: str, default: bool) -> bool:
    value = (optional(raw, column) or "").lower()
    if not value:
        return default
    if value not in {"true", "false", "1", "0", "yes", "no"}:
        raise RowError(f"{column} must be true or false: {value!r}")
    return value in {"true", "1", "yes"}


Find = Callable[[Session, dict[str, Any]], Any]
"""Looks up the stored row a CSV row describes (by its natural key), or None."""


def upsert(session: Session, model: type[DeclarativeBase], find: Find, rows: Iterable[dict[str, Any]],
           report: ImportReport) -> ImportReport:
    """Insert rows `find` does not know, update changed ones; a key repeated within one file keeps its last row."""
    for values in rows:
        existing = find(session, values)
        if existing is None:
            session.add(model(**values))
            session.flush()  # the next row of the same file may refer to this one
            report.inserted += 1
            continue
        if update_columns(existing, values):
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    return report

"""data/agencies.yaml and `flask agencies sync`: the shipped file is sound, sync is idempotent and only
ever deactivates, and a broken file is refused with an error that says where."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from data.agencies import (
    AFNC_CATEGORIES,
    AgencyFileError,
    active_agencies,
    agency_for_alias,
    labelled_claims,
    load_agencies,
    sync_agencies,
)
from data.models import Agency, Case, Claim, Verdict
from tests.conftest import services

SEED = Path(__file__).resolve().parent.parent / "data" / "afnc_claims.csv"
DESK = "- code: afnc\n  name: ศูนย์ต่อต้านข่าวปลอม\n"
SAVINGS_BANK = ("- code: gsb\n  name: ธนาคารออมสิน\n  categories: [การเงิน-หุ้น]\n  keywords: [ออมสิน]\n"
                "  aliases: [ธนาคารออมสิน]\n")
SUMMARY = re.compile(r"^agencies: inserted (\d+), updated (\d+), unchanged (\d+), deactivated (\d+)$", re.MULTILINE)


def agency_cells() -> Counter[str]:
    with SEED.open(encoding="utf-8-sig", newline="") as handle:
        return Counter(row["agency"].strip() for row in csv.DictReader(handle) if row["agency"].strip())


def write(directory: Path, text: str) -> Path:
    path = directory / "agencies.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def rows(app: Flask) -> dict[str, Agency]:
    with services(app).db.session() as session:
        return {agency.code: agency for agency in session.scalars(select(Agency))}


def summary(output: str) -> tuple[int, ...]:
    found = SUMMARY.search(output)
    assert found, output
    return tuple(int(count) for count in found.groups())


def test_the_shipped_file_lists_the_desk_and_at_least_thirty_agencies() -> None:
    specs = load_agencies()
    codes = [spec.code for spec in specs]
    assert "afnc" in codes and len(codes) >= 31
    for spec in specs:
        assert spec.name and spec.sla_hours > 0
        assert set(spec.categories) <= AFNC_CATEGORIES
        if spec.code != "afnc":
            assert spec.categories and spec.keywords, spec.code


def test_every_alias_is_spelt_exactly_as_in_the_csv() -> None:
    cells = agency_cells()
    missing = [(spec.code, alias) for spec in load_agencies() for alias in spec.aliases if alias not in cells]
    assert not missing


def test_every_agency_the_csv_names_twice_is_listed() -> None:
    specs = load_agencies()
    unlisted = {cell: count for cell, count in agency_cells().items()
                if count >= 2 and agency_for_alias(specs, cell) is None}
    assert not unlisted


@pytest.mark.parametrize("cell, code", [
    pytest.param("ธนาคารออมสิน กระทรวงการคลัง", "gsb", id="exact"),
    pytest.param("ธนาคารออมสิน  กระทรวงการคลัง", "gsb", id="doubled space, as in the CSV"),
    pytest.param(" ธนาคารออมสิน\tกระทรวงการคลัง ", "gsb", id="other whitespace"),
    pytest.param("เพจกองทัพบก Royal Thai Army", "rta", id="an agency's own page"),
    pytest.param("เพจ royal thai army กองทัพบก", None, id="words in another order"),
    pytest.param("กองบัญชาการตํารวจสอบสวนกลาง", "cib", id="sara am typed as two characters"),
    pytest.param("สำนักงานคณะกรรมการอาหารและยา (อย.)", "fda", id="the name a coordinator's verdict records"),
    pytest.param("UNESCO", None, id="outside government"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="missing"),
])
def test_a_csv_agency_cell_maps_to_its_code(cell: str | None, code: str | None) -> None:
    assert agency_for_alias(load_agencies(), cell) == code


def test_sync_is_idempotent_and_deactivates_instead_of_deleting(app: Flask) -> None:
    specs = load_agencies()
    database = services(app).db
    with database.session() as session:
        first = sync_agencies(session, specs)
    with database.session() as session:
        again = sync_agencies(session, specs)
        session.add(Case(text="ออมสินปล่อยกู้", agency_code="gsb"))
    assert (first.inserted, first.updated, first.unchanged, first.deactivated) == (len(specs), 0, 0, 0)
    assert (again.inserted, again.updated, again.unchanged, again.deactivated) == (0, 0, len(specs), 0)

    edited = [replace(spec, keywords=(*spec.keywords, "ktb plus")) if spec.code == "ktb" else spec
              for spec in specs if spec.code != "gsb"]
    with database.session() as session:
        removed = sync_agencies(session, edited)
    assert (removed.inserted, removed.updated, removed.unchanged, removed.deactivated) == (0, 1, len(specs) - 2, 1)
    stored = rows(app)
    assert not stored["gsb"].active and stored["gsb"].name == "ธนาคารออมสิน"
    assert "ktb plus" in stored["ktb"].keywords

    with database.session() as session:
        restored = sync_agencies(session, specs)
    assert (restored.updated, restored.deactivated) == (2, 0)
    assert all(agency.active for agency in rows(app).values())


def test_the_router_reads_the_synced_agencies_and_the_claims_they_verified(app: Flask) -> None:
    specs = load_agencies()
    with services(app).db.session() as session:
        sync_agencies(session, [spec for spec in specs if spec.code != "ktb"])
        session.add_all([
            Claim(id="afnc-00000000c1", text="ออมสินปล่อยกู้", verdict=Verdict.FAKE, category="การเงิน-หุ้น",
                  agency="ธนาคารออมสิน  กระทรวงการคลัง"),
            Claim(id="afnc-00000000c2", text="อย. อนุมัติยาใหม่", verdict=Verdict.TRUE, category="ผลิตภัณฑ์สุขภาพ",
                  agency="สำนักงานคณะกรรมการอาหารและยา (อย.)"),
            Claim(id="afnc-00000000c3", text="กรุงไทยแจกเงิน", verdict=Verdict.FAKE,
                  agency="ธนาคารกรุงไทย กระทรวงการคลัง"),
            Claim(id="afnc-00000000c4", text="ข่าวเก่า", verdict=Verdict.FAKE),
        ])
    with services(app).db.session() as session:
        active = active_agencies(session)
        labelled = labelled_claims(session, active)
    assert set(active) == {spec for spec in specs if spec.code != "ktb"}
    assert labelled == [("ออมสินปล่อยกู้", "gsb", "การเงิน-หุ้น"), ("อย. อนุมัติยาใหม่", "fda", "ผลิตภัณฑ์สุขภาพ"),
                        ("กรุงไทยแจกเงิน", None, None), ("ข่าวเก่า", None, None)]


def test_the_cli_syncs_the_shipped_file_then_another(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    count = len(load_agencies())
    result = runner.invoke(args=["agencies", "sync"])
    assert result.exit_code == 0, result.output
    assert summary(result.output) == (count, 0, 0, 0)
    assert summary(runner.invoke(args=["agencies", "sync"]).output) == (0, 0, count, 0)

    other = write(tmp_path, DESK + SAVINGS_BANK.replace("gsb", "test_bank"))
    result = runner.invoke(args=["agencies", "sync", str(other)])
    assert result.exit_code == 0, result.output
    assert summary(result.output) == (1, 1, 0, count - 1)
    assert {code for code, agency in rows(app).items() if agency.active} == {"afnc", "test_bank"}


def test_the_cli_refuses_a_broken_file_and_changes_nothing(app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, DESK + SAVINGS_BANK.replace("การเงิน-หุ้น", "การเงิน"))
    result = app.test_cli_runner().invoke(args=["agencies", "sync", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path}: agency gsb: categories: not an AFNC category: การเงิน" in result.output
    assert rows(app) == {}


@pytest.mark.parametrize("text, error", [
    pytest.param(DESK + SAVINGS_BANK.replace("code: gsb", "code: Savings Bank"),
                 "agency #2: code: must be lowercase ASCII letters, digits or _ (at most 32), got 'Savings Bank'",
                 id="bad code"),
    pytest.param(DESK + SAVINGS_BANK.replace("  name: ธนาคารออมสิน\n", ""),
                 "agency gsb: name: must be a non-empty text", id="no name"),
    pytest.param(DESK + SAVINGS_BANK.replace("keywords:", "keyword:"),
                 "agency gsb: keyword: unknown field", id="misspelt field"),
    pytest.param(DESK + SAVINGS_BANK.replace("การเงิน-หุ้น", "ข่่าวปลอม"),
                 "agency gsb: categories: not an AFNC category: ข่่าวปลอม", id="unknown category"),
    pytest.param(DESK + SAVINGS_BANK.replace("[ออมสิน]", "ออมสิน"),
                 "agency gsb: keywords: must be a list of non-empty texts", id="keywords not a list"),
    pytest.param(DESK + SAVINGS_BANK.replace("[ออมสิน]", "[ออมสิน, ออมสิน]"),
                 "agency gsb: keywords: repeats ออมสิน", id="repeated keyword"),
    pytest.param(DESK + SAVINGS_BANK + "  sla_hours: -1\n",
                 "agency gsb: sla_hours: must be a number of hours above 0", id="negative deadline"),
    pytest.param(DESK + SAVINGS_BANK + SAVINGS_BANK.replace("aliases: [ธนาคารออมสิน]", "aliases: []"),
                 "agency gsb: code: used by more than one agency", id="code twice"),
    pytest.param(DESK + SAVINGS_BANK + SAVINGS_BANK.replace("gsb", "ktb").replace("ธนาคารออมสิน\n", "กรุงไทย\n", 1),
                 "agency ktb: aliases: 'ธนาคารออมสิน' already names gsb", id="alias of two agencies"),
    pytest.param(DESK + SAVINGS_BANK + SAVINGS_BANK.replace("gsb", "ktb").replace("[ธนาคารออมสิน]", "[]"),
                 "agency ktb: name: 'ธนาคารออมสิน' already names gsb", id="name of two agencies"),
    pytest.param(SAVINGS_BANK, "agency afnc: missing; the AFNC desk is the routing fallback", id="no desk"),
    pytest.param("code: afnc\nname: ศูนย์\n", "must be a list of agencies", id="not a list"),
    pytest.param(DESK + "- code: [gsb\n", "not valid YAML", id="broken YAML"),
])
def test_a_broken_file_is_refused_with_where_and_why(tmp_path: Path, text: str, error: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(AgencyFileError) as raised:
        load_agencies(path)
    assert str(raised.value).startswith(f"{path}: {error}"), str(raised.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AgencyFileError, match="cannot read"):
        load_agencies(tmp_path / "absent.yaml")


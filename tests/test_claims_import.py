"""`flask claims import` through the real CLI: validation, idempotent upserts, --if-empty, the AFNC seed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from bot.devtools.line_emulator import LineEmulator
from data.models import Claim, ClaimOrigin, Verdict
from tests.conftest import finish, make_app, services

SEED = Path(__file__).resolve().parent.parent / "data" / "afnc_claims.csv"
HEADER = "id,claim,explanation,verdict,category,agency,date,url\n"
# Line 2-3 is one row: AFNC explanations contain newlines, so physical lines and rows differ.
MULTILINE_ROW = ('afnc-00000000a1,กรมสรรพากรคืนภาษีผ่านแอป,"ส่งลิงก์ให้กรอกข้อมูลบัตร\nเป็นการหลอกลวง",fake,'
                 "เศรษฐกิจ,กรมสรรพากร,2025-01-10,https://www.antifakenewscenter.com/?p=1\n")
LAST_ROW = "afnc-00000000a9,ไม่มีวันที่และไม่มีลิงก์,,distorted,,,,\n"
SUMMARY = re.compile(r"claims: inserted (?P<inserted>\d+), updated (?P<updated>\d+), "
                     r"unchanged (?P<unchanged>\d+), rejected (?P<rejected>\d+)\b")


def write_csv(directory: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8",
              row_end: str = "\n") -> Path:
    """Rows end in "\\n"; `row_end` replaces only that one, as Excel keeps a bare LF inside a cell."""
    path = directory / "claims.csv"
    path.write_text("".join(line.removesuffix("\n") + row_end for line in (header, *rows)), encoding=encoding,
                    newline="")
    return path


def import_claims(app: Flask, path: Path, *options: str) -> Result:
    return app.test_cli_runner().invoke(args=["claims", "import", str(path), *options])


def counts(result: Result) -> dict[str, int]:
    """The counts on the summary line, which ends the output (more may follow them on that line)."""
    found = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert found, result.output
    return {name: int(value) for name, value in found.groupdict().items()}


def claims(app: Flask) -> dict[str, Claim]:
    with services(app).db.session() as session:
        return {claim.id: claim for claim in session.scalars(select(Claim))}


@pytest.mark.parametrize("row, reason", [
    pytest.param("afnc-00000000b1,ข่าวที่ยังไม่ตัดสิน,,maybe,,,,\n",
                 "verdict must be one of ['fake', 'true', 'distorted'], got 'maybe'", id="bad verdict"),
    pytest.param("afnc-00000000b2,   ,,fake,,,,\n", "empty claim text", id="empty claim"),
    pytest.param("afnc-00000000b3,วันที่แบบไทย,,fake,,,05/02/2024,\n",
                 "date is not ISO (YYYY-MM-DD): '05/02/2024'", id="non-ISO date"),
    pytest.param("12345,รหัสไม่ใช่ของ AFNC,,fake,,,,\n", "bad id '12345'", id="bad id"),
    pytest.param("AFNC 1,รหัสมีช่องว่าง,,fake,,,,\n", "bad id 'AFNC 1'", id="id with a space"),
    pytest.param("afnc-00000000b4,ลิงก์เสีย,,fake,,,,not a url\n",
                 "url must start with http(s)://: 'not a url'", id="garbage url"),
    pytest.param("afnc-00000000b5,ลิงก์สคริปต์,,fake,,,,javascript:alert(1)\n",
                 "url must start with http(s)://: 'javascript:alert(1)'", id="script url"),
    pytest.param(f"afnc-00000000b6,หมวดยาว,,fake,{'ก' * 101},,,\n", "category is 101 characters; at most 100",
                 id="category longer than its column"),
])
def test_a_malformed_row_is_rejected_with_its_line_and_reason(row: str, reason: str, app: Flask,
                                                              tmp_path: Path) -> None:
    path = write_csv(tmp_path, MULTILINE_ROW, row, LAST_ROW)
    result = import_claims(app, path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"{path}:4: rejected: {reason}"]
    assert counts(result) == {"inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert set(claims(app)) == {"afnc-00000000a1", "afnc-00000000a9"}


@pytest.mark.parametrize("encoding, row_end", [
    pytest.param("utf-8", "\n", id="utf-8"),
    pytest.param("utf-8-sig", "\r\n", id="excel: byte order mark and CRLF"),
])
def test_csv_exports_from_excel_read_the_same(encoding: str, row_end: str, app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path, MULTILINE_ROW, "afnc-00000000b2,,,fake,,,,\n", LAST_ROW, encoding=encoding,
                     row_end=row_end)
    result = import_claims(app, path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"{path}:4: rejected: empty claim text"]
    assert counts(result) == {"inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert claims(app)["afnc-00000000a1"].explanation == "ส่งลิงก์ให้กรอกข้อมูลบัตร\nเป็นการหลอกลวง"


@pytest.mark.parametrize("url, stored", [
    pytest.param("https://www.antifakenewscenter.com/?p=2", "https://www.antifakenewscenter.com/?p=2", id="https"),
    pytest.param("http://www.thaigov.go.th/news/1", "http://www.thaigov.go.th/news/1", id="http"),
    pytest.param("www.antifakenewscenter.com/?p=2", "https://www.antifakenewscenter.com/?p=2",
                 id="host without scheme"),
    pytest.param("", None, id="empty"),
])
def test_urls_are_stored_with_a_scheme(url: str, stored: str | None, app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"afnc-00000000c1,ดื่มน้ำมะนาวรักษามะเร็ง,,fake,สุขภาพ,,2023-08-05,{url}\n")
    result = import_claims(app, path)
    assert result.exit_code == 0, result.output
    assert counts(result) == {"inserted": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert claims(app)["afnc-00000000c1"].source_url == stored


def test_import_is_idempotent_and_updates_edited_rows(app: Flask, tmp_path: Path) -> None:
    good = [MULTILINE_ROW,
            "afnc-00000000a2,ไลน์สำนักงาน ก.ล.ต. ชักชวนลงทุน,,fake,การเงิน-หุ้น,,2024-02-05,"
            "https://www.antifakenewscenter.com/?p=2\n",
            "afnc-00000000a3,ฉีดวัคซีนแล้วต้องงดกาแฟ,,true,สุขภาพ,,2021-06-01,www.antifakenewscenter.com/?p=3\n"]
    bad = ["afnc-00000000b1,ข่าวที่ยังไม่ตัดสิน,,maybe,,,,\n", "afnc-00000000b2,,,fake,,,,\n"]
    path = write_csv(tmp_path, *good, *bad, LAST_ROW)

    first = import_claims(app, path)
    assert first.exit_code == 0, first.output
    assert [line.split(": rejected: ")[0] for line in first.stderr.splitlines()] == [f"{path}:6", f"{path}:7"]
    assert counts(first) == {"inserted": 4, "updated": 0, "unchanged": 0, "rejected": 2}
    imported = claims(app)
    assert imported["afnc-00000000a1"].explanation == "ส่งลิงก์ให้กรอกข้อมูลบัตร\nเป็นการหลอกลวง"
    assert imported["afnc-00000000a3"].source_url == "https://www.antifakenewscenter.com/?p=3"
    assert {claim.origin for claim in imported.values()} == {ClaimOrigin.AFNC_IMPORT}

    again = import_claims(app, path)
    assert counts(again) == {"inserted": 0, "updated": 0, "unchanged": 4, "rejected": 2}
    assert claims(app).keys() == imported.keys()
    assert {claim_id: claim.updated_at for claim_id, claim in claims(app).items()} == \
        {claim_id: claim.updated_at for claim_id, claim in imported.items()}

    edited = good[2].replace(",true,", ",distorted,")
    path = write_csv(tmp_path, *good[:2], edited, *bad, LAST_ROW)
    result = import_claims(app, path)
    assert counts(result) == {"inserted": 0, "updated": 1, "unchanged": 3, "rejected": 2}
    after = claims(app)
    assert after.keys() == imported.keys()
    assert after["afnc-00000000a3"].verdict is Verdict.DISTORTED
    assert after["afnc-00000000a3"].updated_at > imported["afnc-00000000a3"].updated_at


def test_a_repeated_id_keeps_its_last_row(app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "afnc-00000000d1,ข่าวรอบแรก,,fake,,,,\n", "afnc-00000000d1,ข่าวรอบสอง,,true,,,,\n")
    assert import_claims(app, path).exit_code == 0
    claim = claims(app)["afnc-00000000d1"]
    assert (claim.text, claim.verdict) == ("ข่าวรอบสอง", Verdict.TRUE)


def test_if_empty_seeds_an_empty_table_and_then_does_nothing(app: Flask, tmp_path: Path) -> None:
    seeded = import_claims(app, write_csv(tmp_path, MULTILINE_ROW), "--if-empty")
    assert counts(seeded) == {"inserted": 1, "updated": 0, "unchanged": 0, "rejected": 0}

    changed = write_csv(tmp_path, MULTILINE_ROW.replace(",fake,", ",true,"), LAST_ROW)
    result = import_claims(app, changed, "--if-empty")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "claims: table already seeded; nothing to do"
    assert {claim_id: claim.verdict for claim_id, claim in claims(app).items()} == {"afnc-00000000a1": Verdict.FAKE}


@pytest.mark.parametrize("header, missing", [
    pytest.param("id,claim,explanation,category,agency,date,url\n", "verdict", id="no verdict"),
    pytest.param("claim,verdict\n", "id", id="no id"),
    pytest.param("identifier,text,rating\n", "id, claim, verdict", id="another format"),
])
def test_a_csv_without_a_required_column_is_an_error(header: str, missing: str, app: Flask,
                                                     tmp_path: Path) -> None:
    path = write_csv(tmp_path, "afnc-00000000e1,ข่าว,,fake,,,\n", header=header)
    result = import_claims(app, path)
    assert result.exit_code == 1
    assert f"Error: {path}: missing column(s) {missing}" in result.stderr
    assert "inserted" not in result.output
    assert claims(app) == {}


def test_the_afnc_seed_imports_completely(database_url: str, line: LineEmulator) -> None:
    """On PostgreSQL too, which (unlike SQLite) refuses a value longer than its column."""
    app = make_app(database_url, line.base_url)
    try:
        result = import_claims(app, SEED)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        assert counts(result) == {"inserted": 4131, "updated": 0, "unchanged": 0, "rejected": 0}
        with services(app).db.session() as session:
            verdicts = dict(session.execute(select(Claim.verdict, func.count()).group_by(Claim.verdict)).all())
        assert verdicts == {Verdict.FAKE: 2475, Verdict.TRUE: 1209, Verdict.DISTORTED: 447}
    finally:
        finish(app)

"""`flask centres|courses|faq import`: the shipped samples load, bad rows are reported by line and skipped,
and a re-import updates without duplicating."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from data.models import Centre, Course, CourseSession, FaqEntry, LocationPrecision
from tests.conftest import services

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
CENTRE_COLUMNS = ("code,name,type,host,address,subdistrict_code,district_code,province_code,latitude,longitude,"
                  "location_precision,phone,opening_hours,services,opened_on,active,source_url,note")


def invoke(app: Flask, *args: str) -> tuple[int, str]:
    """Exit code and everything printed (Click's runner mixes stderr, where rejected rows go, into output)."""
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def count(app: Flask, model: type) -> int:
    with services(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def import_samples(app: Flask, illustrative: bool = True) -> None:
    for args in (("centres", "import", str(SAMPLE / "centres.csv")), ("courses", "import", str(SAMPLE / "courses.csv")),
                 ("courses", "import-sessions", str(SAMPLE / "course_sessions.csv"),
                  *(("--include-illustrative",) if illustrative else ())),
                 ("faq", "import", str(SAMPLE / "faq.csv"))):
        code, output = invoke(app, *args)
        assert code == 0, output
        assert "rejected 0" in output, output


def sample_rows(name: str) -> int:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _row in csv.DictReader(handle))


def test_the_shipped_samples_import_completely_and_idempotently(app: Flask) -> None:
    import_samples(app)
    expected = {Centre: sample_rows("centres.csv"), Course: sample_rows("courses.csv"),
                CourseSession: sample_rows("course_sessions.csv"), FaqEntry: sample_rows("faq.csv")}
    assert {model: count(app, model) for model in expected} == expected
    code, output = invoke(app, "centres", "import", str(SAMPLE / "centres.csv"))
    assert code == 0 and f"unchanged {expected[Centre]}" in output and "inserted 0" in output
    assert count(app, Centre) == expected[Centre]
    with services(app).db.session() as session:
        pho_tak = session.get(Centre, "dcc-43-pho-tak")
        assert pho_tak is not None and pho_tak.province_code == "43" and pho_tak.district_code == "4317"
        assert pho_tak.location_precision is LocationPrecision.DISTRICT  # a district's point: never a pin
        assert pho_tak.opening_hours is None  # unknown, never "closed"
        assert all(row.illustrative for row in session.scalars(select(CourseSession)))


def test_illustrative_sessions_are_skipped_unless_asked_for(app: Flask) -> None:
    invoke(app, "centres", "import", str(SAMPLE / "centres.csv"))
    invoke(app, "courses", "import", str(SAMPLE / "courses.csv"))
    code, output = invoke(app, "courses", "import-sessions", str(SAMPLE / "course_sessions.csv"))
    assert code == 0 and f"skipped {sample_rows('course_sessions.csv')}" in output
    assert count(app, CourseSession) == 0


def write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


GOOD_CENTRE = ("dcc-43-test,ศูนย์ทดสอบ,ศูนย์ดิจิทัลชุมชน,อบต.,,431701,4317,43,17.9,102.4,exact,042-000000,"
               "mon-fri 08:30-16:30; hol closed,wifi;training,2023-12-03,true,,")


@pytest.mark.parametrize(("row", "reason"), [
    (GOOD_CENTRE.replace("dcc-43-test", "Bad Code"), "code must be lowercase"),
    (GOOD_CENTRE.replace(",43,17.9", ",99,17.9"), "unknown province_code '99'"),
    (GOOD_CENTRE.replace(",4317,43,", ",3018,43,"), "is not a district of province 43"),
    (GOOD_CENTRE.replace("431701,", "301808,"), "is not a subdistrict of district 4317"),
    (GOOD_CENTRE.replace("17.9,102.4", "102.4,17.9"), "outside Thailand"),
    (GOOD_CENTRE.replace("17.9,102.4", "17.9,"), "both be given"),
    (GOOD_CENTRE.replace(",exact,", ",roughly,"), "location_precision must be one of"),
    (GOOD_CENTRE.replace("mon-fri 08:30-16:30", "weekdays 8-4"), "opening_hours"),
    (GOOD_CENTRE.replace("wifi;training", "wifi;karaoke"), "unknown service(s) ['karaoke']"),
    (GOOD_CENTRE.replace("2023-12-03", "3 Dec 2023"), "opened_on must be"),
    (GOOD_CENTRE.replace(",true,", ",maybe,"), "active must be true or false"),
    (GOOD_CENTRE.replace("ศูนย์ทดสอบ", ""), "name is empty"),
    (GOOD_CENTRE.replace("042-000000", "0" * 41), "phone is 41 characters; at most 40"),
    (GOOD_CENTRE.replace("ศูนย์ทดสอบ", "ก" * 301), "name is 301 characters; at most 300"),
])
def test_a_bad_centre_row_is_reported_by_line_and_skipped(app: Flask, tmp_path: Path, row: str, reason: str) -> None:
    path = write(tmp_path / "centres.csv", CENTRE_COLUMNS, GOOD_CENTRE.replace("dcc-43-test", "dcc-43-good"), row)
    code, output = invoke(app, "centres", "import", str(path))
    assert code == 0
    assert f"{path}:3: rejected: " in output and reason in output, output
    assert "inserted 1" in output and "rejected 1" in output
    assert count(app, Centre) == 1


def test_a_re_import_updates_changed_rows_in_place(app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path / "centres.csv", CENTRE_COLUMNS, GOOD_CENTRE)
    invoke(app, "centres", "import", str(path))
    write(path, CENTRE_COLUMNS, GOOD_CENTRE.replace("042-000000", "042-111111"))
    code, output = invoke(app, "centres", "import", str(path))
    assert code == 0 and "updated 1" in output and "inserted 0" in output
    with services(app).db.session() as session:
        centre = session.get(Centre, "dcc-43-test")
        assert centre is not None and centre.phone == "042-111111"
        assert centre.location_precision is LocationPrecision.EXACT and centre.latitude == 17.9
        assert centre.opening_hours == "mon-fri 08:30-16:30; hol closed"


def test_sessions_must_point_at_known_courses_and_centres(app: Flask, tmp_path: Path) -> None:
    import_samples(app, illustrative=False)
    path = write(tmp_path / "sessions.csv", "course_code,centre_code,start,end,seats,registration_url,source_url,note",
                 "nope,dcc-43-pho-tak,2026-12-12T09:00:00+07:00,2026-12-12T12:00:00+07:00,20,,,",
                 "dcc-live-commerce,nowhere,2026-12-12T09:00:00+07:00,2026-12-12T12:00:00+07:00,20,,,",
                 "dcc-live-commerce,dcc-43-pho-tak,2026-12-12T09:00:00,2026-12-12T12:00:00+07:00,20,,,",
                 "dcc-live-commerce,dcc-43-pho-tak,2026-12-12T12:00:00+07:00,2026-12-12T09:00:00+07:00,20,,,",
                 "dcc-live-commerce,dcc-43-pho-tak,2026-12-12T09:00:00+07:00,2026-12-12T12:00:00+07:00,-1,,,",
                 "dcc-live-commerce,dcc-43-pho-tak,2026-12-12T09:00:00+07:00,2026-12-12T12:00:00+07:00,20,,,",
                 "dcc-live-commerce,dcc-43-pho-tak,2026-12-12T09:00:00+07:00,2026-12-12T12:00:00+07:00,25,,,")
    code, output = invoke(app, "courses", "import-sessions", str(path))
    assert code == 0, output
    for line, reason in ((2, "unknown course_code 'nope'"), (3, "unknown centre_code 'nowhere'"),
                         (4, "start needs a UTC offset"), (5, "end must be after start"), (6, "seats must not be negative")):
        assert f"{path}:{line}: rejected: {reason}" in output, output
    assert "inserted 1, updated 1" in output  # the same run twice in one file: the last row wins
    with services(app).db.session() as session:
        assert [row.seats for row in session.scalars(select(CourseSession))] == [25]


def test_faq_rows_need_questions_and_a_short_answer(app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path / "faq.csv", "code,questions,answer,link,tags,source_url",
                 "ok,ถามอะไร|ถามยังไง,ตอบค่ะ,https://example.org,a;b,",
                 "no-questions,,ตอบค่ะ,,,",
                 f"long,ถาม,{'ก' * 1001},,,",
                 "bad-link,ถาม,ตอบ,example.org,,")
    code, output = invoke(app, "faq", "import", str(path))
    assert code == 0 and "inserted 1" in output and "rejected 3" in output, output
    with services(app).db.session() as session:
        entry = session.get(FaqEntry, "ok")
        assert entry is not None and entry.questions == ["ถามอะไร", "ถามยังไง"] and entry.tags == ["a", "b"]


def test_values_longer_than_their_column_are_rejected_and_the_rest_imports(app: Flask, tmp_path: Path) -> None:
    # PostgreSQL refuses such a value at flush, which used to abort the whole file with a traceback.
    courses = write(tmp_path / "courses.csv", "code,title,provider,format,url",
                    "ok,หลักสูตร,ผู้จัด,online,https://example.org",
                    f"long-title,{'ก' * 301},,online,",
                    f"long-url,หลักสูตร,,online,https://example.org/{'a' * 1000}")
    code, output = invoke(app, "courses", "import", str(courses))
    assert code == 0 and "inserted 1" in output and "rejected 2" in output, output
    assert f"{courses}:3: rejected: title is 301 characters; at most 300" in output, output
    assert f"{courses}:4: rejected: url is 1020 characters; at most 1000" in output, output
    faq = write(tmp_path / "faq.csv", "code,questions,answer,link,tags,source_url",
                f"long-question,ถามสั้น|{'ถ' * 301},ตอบค่ะ,,,",
                "ok,ถามอะไร,ตอบค่ะ,,,",
                f"long-link,ถาม,ตอบค่ะ,https://example.org/{'a' * 1000},,")
    code, output = invoke(app, "faq", "import", str(faq))
    assert code == 0 and "inserted 1" in output and "rejected 2" in output, output
    assert f"{faq}:2: rejected: question 2 is 301 characters; at most 300" in output, output
    assert f"{faq}:4: rejected: link is 1020 characters; at most 1000" in output, output
    with services(app).db.session() as session:
        assert list(session.scalars(select(Course.code))) == ["ok"]
        assert list(session.scalars(select(FaqEntry.code))) == ["ok"]


def test_a_file_without_the_required_columns_is_refused(app: Flask, tmp_path: Path) -> None:
    code, output = invoke(app, "courses", "import", str(write(tmp_path / "c.csv", "code,name", "x,y")))
    assert code != 0 and "missing column(s) title, format" in output

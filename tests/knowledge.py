"""Seeding the knowledge side for conversation tests: the shipped samples plus rows a test needs."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, message_event, post, user_source
from data.models import BANGKOK
from tests.conftest import CHANNEL_SECRET

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SESSION_COLUMNS = "course_code,centre_code,start,end,seats,registration_url,source_url,note"


def cli(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def seed_knowledge(app: Flask) -> None:
    """The sample centres, courses and FAQ; sessions come from `seed_sessions`, dated relative to now."""
    cli(app, "centres", "import", str(SAMPLE / "centres.csv"))
    cli(app, "courses", "import", str(SAMPLE / "courses.csv"))
    cli(app, "faq", "import", str(SAMPLE / "faq.csv"))


@pytest.fixture()
def seeded(app: Flask) -> Flask:
    """The app with the sample centres, courses and FAQ."""
    seed_knowledge(app)
    return app


def session_row(course: str, centre: str, starts: datetime, hours: int = 3, note: str = "") -> str:
    return f"{course},{centre},{starts.isoformat()},{(starts + timedelta(hours=hours)).isoformat()},20,,,{note}"


def days_ahead(days: int, hour: int = 9) -> datetime:
    today = datetime.now(BANGKOK).date()
    return datetime(today.year, today.month, today.day, hour, tzinfo=BANGKOK) + timedelta(days=days)


def seed_sessions(app: Flask, tmp_path: Path, *rows: str) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text("\n".join((SESSION_COLUMNS, *rows)) + "\n", encoding="utf-8")
    cli(app, "courses", "import-sessions", str(path), "--include-illustrative")


def send_location(client: FlaskClient, line: LineEmulator, user: str, latitude: float, longitude: float,
                  address: str = "") -> None:
    message: dict[str, Any] = {"type": "location", "latitude": latitude, "longitude": longitude}
    if address:
        message["address"] = address
    event = message_event(user, message, line.issue_reply_token(user_source(user)))
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200

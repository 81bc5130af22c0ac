"""Faults caused for real. Each test failed before its fix."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from data.models import User
from data.users import touch_user
from tests.conftest import finish, make_app, services
from tests.line_emulator import LineEmulator
from tests.services import require_postgres


# -- two first messages at once ---------------------------------------------------------------------------------


def test_two_first_messages_of_one_user_at_once_make_one_user(line: LineEmulator) -> None:
    """The first transaction inserts the user and stays open; the second, started meanwhile, finds no row and
    inserts too. Before the fix it waited on the first's row and then failed with UniqueViolation."""
    app = make_app(require_postgres(), line.base_url)
    user = "U" + "5" * 32
    inserted, outcomes = threading.Event(), {}

    def first() -> None:
        with services(app).db.session() as session:
            outcomes["first"] = touch_user(session, user)[1]
            inserted.set()
            time.sleep(0.5)  # long enough for the second to be waiting on this row

    def second() -> None:
        inserted.wait()
        try:
            with services(app).db.session() as session:
                outcomes["second"] = touch_user(session, user)[1]
        except Exception as error:  # noqa: BLE001  (the failure under test, reported below)
            outcomes["second"] = error

    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert outcomes == {"first": True, "second": False}  # created once; the second found it
        with services(app).db.session() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 1
    finally:
        finish(app)

"""Shared set-up for the web desk's tests: an app with the desk on, accounts, and logging in with a form token."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from data.staff import add_staff
from tests.conftest import make_app, services
from tests.test_tips import seed_desk

SECRET = "desk-test-secret-key-0123456789"
PASSWORD = "correct horse battery staple"
DESK_EMAIL, SUPERVISOR_EMAIL, OTHER_EMAIL = "desk@afnc.example", "boss@gsb.example", "boss@afnc-agency.example"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def desk_app(database_url: str, line_url: str, **overrides: Any) -> Flask:
    """The app with the desk on, two agencies (afnc, gsb), a gsb coordinator, and three accounts."""
    # LINE calls get a longer timeout than the suite's 2 s: the browser tests share two cores with Chromium.
    app = make_app(database_url, line_url, SECRET_KEY=SECRET, DESK_COOKIE_SECURE=0, LINE_TIMEOUT_SECONDS=10.0,
                   **overrides)
    seed_desk(app)
    with services(app).db.session() as session:
        add_staff(session, DESK_EMAIL, PASSWORD, None, actor="test")
        add_staff(session, SUPERVISOR_EMAIL, PASSWORD, "gsb", actor="test")
        add_staff(session, OTHER_EMAIL, PASSWORD, "afnc", actor="test")
    return app


def form_token(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no form token on {path}"
    return found.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    token = form_token(client, "/desk/login")
    return client.post("/desk/login", data={"email": email, "password": password, "csrf_token": token,
                                            "next": "/desk/"})

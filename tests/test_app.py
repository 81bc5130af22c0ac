"""The app factory is the only way to get an app, and a test's config replaces the environment."""
from __future__ import annotations

from pathlib import Path

import pytest

import app as app_module
from app import create_app
from tests.conftest import finish


def test_importing_the_module_builds_no_app() -> None:
    assert not hasattr(app_module, "app")


def test_a_test_config_replaces_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's shell must not leak into the tests: an admin token would open the admin views, a Redis
    URL would send the tests' jobs to their Redis."""
    monkeypatch.setenv("ADMIN_TOKEN", "a-developer-token")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("VOLUNTEER_AUTO_APPROVE", "1")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}"})
    try:
        assert app.config["ADMIN_TOKEN"] is None
        assert app.config["REDIS_URL"] is None
        assert app.config["VOLUNTEER_AUTO_APPROVE"] == 0
        assert app.config["DATABASE_URL"].endswith("test.sqlite3")
    finally:
        finish(app)


def test_without_a_test_config_the_environment_configures(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADMIN_TOKEN", "an-operator-token")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app()
    try:
        assert app.config["ADMIN_TOKEN"] == "an-operator-token"
        assert app.config["DATABASE_URL"].endswith("env.sqlite3")
    finally:
        finish(app)


def test_every_conversation_state_has_a_timeout_and_an_answer() -> None:
    from data.conversation import TIMEOUTS, State
    from handlers import CONVERSATIONS, ROUTES

    assert set(TIMEOUTS) == set(State)
    assert set(CONVERSATIONS) == set(State) - {State.ERASE_CONFIRM}  # answered by its two buttons
    assert all(route in ROUTES for route in CONVERSATIONS.values())

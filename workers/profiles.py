"""Fetch a user's LINE profile lazily, after their first event."""
from __future__ import annotations

from bot.runtime.queue import hashed_job_id
from bot.runtime.services import current_services
from data.users import apply_profile, find_user


def fetch_profile(line_user_id: str) -> None:
    services = current_services()
    if not services.line.enabled:
        return
    with services.db.session() as session:
        user = find_user(session, line_user_id)
        if user is None or user.profile_fetched_at is not None:
            return
    profile = services.line.get_profile(line_user_id)
    with services.db.session() as session:
        user = find_user(session, line_user_id)
        if user is not None:
            apply_profile(user, profile)


def fetch_profile_job_id(line_user_id: str) -> str:
    return hashed_job_id("profile", line_user_id)

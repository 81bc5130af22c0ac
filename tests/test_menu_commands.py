"""Every rich-menu tile reaches the handler meant for it, never the fact-checker (a tile's text is not a
rumour) nor the fallback."""
from __future__ import annotations

from typing import Any

import pytest

from bot.line.events import InboundEvent, SourceType
from bot.richmenu.spec import ROLE_MENUS, MenuCommand
from handlers import find_route
from handlers.base import Context

ROUTE_OF = {
    MenuCommand.CHECK: "how_to_check",
    MenuCommand.CENTRES: "centres_near_me",
    MenuCommand.COURSES: "course_catalogue",
    MenuCommand.TIP: "tip_how_to",
    MenuCommand.LATEST_FAKES: "latest_fakes",
    MenuCommand.HELP: "help",
    MenuCommand.SEARCH: "claim_search",
    MenuCommand.TRENDS: "trends",
    MenuCommand.VOLUNTEER_PROFILE: "volunteer_profile",
}


def tap(text: str) -> InboundEvent:
    return InboundEvent(event_id="e", type="message", source_type=SourceType.USER, user_id="U" + "0" * 32,
                        chat_id="U" + "0" * 32, reply_token="r", timestamp_ms=0, is_redelivery=False,
                        message_type="text", text=text)


def context() -> Context:
    """Predicates read only the event and the user; no user here is a citizen mid-nothing."""
    unused: Any = None
    return Context(session=unused, user=None, checker=unused, postback_key=b"", reroute_choices=unused, route=unused,
                   knowledge=unused, auto_approve_volunteers=False)


@pytest.mark.parametrize("command", list(MenuCommand))
def test_each_tile_command_has_its_own_route(command: MenuCommand) -> None:
    route = find_route(tap(command.value), context())
    assert route is not None and route.name == ROUTE_OF[command]


def test_every_message_tile_of_every_menu_is_a_known_command() -> None:
    sent = {area.action["text"] for specs in ROLE_MENUS.values() for spec in specs for area in spec.areas
            if area.action["type"] == "message"}
    assert sent <= set(MenuCommand) and sent

"""Thai texts and quick replies shared by several handlers."""
from __future__ import annotations

from typing import Any

from bot.flex.messages import message_action
from bot.richmenu.spec import MenuCommand

AFNC_CHANNELS = "LINE @antifakenewscenter · antifakenewscenter.com · โทร 1111 กด 87"


def main_quick_replies() -> list[dict[str, Any]]:
    return [message_action(command) for command in (MenuCommand.CHECK, MenuCommand.CENTRES, MenuCommand.COURSES,
                                                     MenuCommand.HELP)]

"""Thai texts and quick replies shared by several handlers."""
from __future__ import annotations

from typing import Any

from bot.messages import message_action

AFNC_CHANNELS = "LINE @antifakenewscenter · antifakenewscenter.com · โทร 1111 กด 87"


def main_quick_replies() -> list[dict[str, Any]]:
    return [message_action("ตรวจข่าว"), message_action("ศูนย์ใกล้ฉัน"), message_action("หลักสูตร"),
            message_action("ช่วยเหลือ")]

"""Tell a volunteer their registration was approved (an operator approved it outside the chat)."""
from __future__ import annotations

from bot.flex.messages import build_text_message
from bot.line.client import retry_key
from bot.richmenu.deploy import show_role_menu
from bot.runtime.queue import hashed_job_id
from bot.runtime.services import current_services
from data.models import Role, VolunteerStatus
from data.users import find_user
from data.volunteers import get_volunteer

WELCOME = "ยินดีต้อนรับ อสด. {name} ค่ะ 🎉 พิมพ์ “ค้นหาข่าว” “เทรนด์” หรือ “โปรไฟล์ อสด.” ในแชตนี้ได้เลย"
"""Promises no menu: the reply to an auto-approved registration goes out before any menu is linked."""
MENU_READY = "\nหรือใช้เมนูอาสาสมัครด้านล่างแชต (แตะแท็บ “อาสาสมัคร”)"
"""Added only once the volunteer menu is linked: before `flask richmenu deploy` there is none to show."""


def welcome_job_id(line_user_id: str) -> str:
    return hashed_job_id("welcome-volunteer", line_user_id)


def welcome_volunteer(line_user_id: str) -> None:
    services = current_services()
    with services.db.session() as session:
        user = find_user(session, line_user_id)
        volunteer = get_volunteer(session, user) if user else None
        if user is None or volunteer is None or volunteer.status is not VolunteerStatus.APPROVED \
                or user.role is not Role.VOLUNTEER or not user.is_active:
            return  # a coordinator or admin who volunteers keeps their own role and menu: no volunteer welcome
        text = WELCOME.format(name=volunteer.display_name)
    if services.line.enabled and show_role_menu(services.line, line_user_id, Role.VOLUNTEER):
        text += MENU_READY
    services.line.push(line_user_id, [build_text_message(text)], key=retry_key("welcome-volunteer", line_user_id))

"""`flask chat`: the renderer on the bot's real message builders, and conversations with the real app."""
from __future__ import annotations

import io
import itertools
import queue
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.devtools.chat import DEFAULT_USER, PROMPT, ChatSession, LocalLink, attach
from bot.devtools.chat_render import Choice, render_deliveries, render_messages
from bot.devtools.line_emulator import Delivery, LineEmulator
from bot.flex.components import GUIDE_TITLE, PRIVACY_LINE, build_flex_message, build_guide_message
from bot.flex.messages import build_text_message, message_action, postback_action, quick_reply, uri_action
from bot.richmenu.spec import describe, menu_pages
from data.coordinators import make_coordinator
from data.models import Agency, AuditEntry, Role, User
from data.users import find_user
from handlers.fallback import STALE_BUTTON
from handlers.follow import WELCOME
from handlers.guide import HOW_TO_CHECK
from handlers.replies import main_quick_replies
from nlp.image import ImageProblem
from tests.conftest import CHANNEL_TOKEN, finish, make_app, services
from workers.images import REJECTED

QUICK_REPLIES = "     1) ตรวจข่าว  2) ศูนย์ใกล้ฉัน  3) หลักสูตร  4) ช่วยเหลือ"


def test_text_with_quick_replies_numbers_the_choices() -> None:
    lines, choices = render_messages([build_text_message("บรรทัดแรก\nบรรทัดสอง", main_quick_replies())])
    assert lines == ["bot> บรรทัดแรก", "     บรรทัดสอง", QUICK_REPLIES]
    assert choices == [Choice(label, message_action(label)) for label in ("ตรวจข่าว", "ศูนย์ใกล้ฉัน", "หลักสูตร", "ช่วยเหลือ")]


def test_guide_card_reads_top_to_bottom_and_its_button_follows_the_quick_replies() -> None:
    lines, choices = render_messages([build_guide_message(quick_reply(main_quick_replies()))])
    assert lines[0] == f"bot> {GUIDE_TITLE}"
    assert lines[1:3] == ["     🔎 ตรวจข่าว", "     ส่งต่อหรือวางข้อความที่สงสัยมาในแชตนี้ได้เลย"]
    assert lines[-3:] == ["     [วิธีตรวจข่าว]", f"     {PRIVACY_LINE}", QUICK_REPLIES + "  5) [วิธีตรวจข่าว]"]
    assert [(choice.label, choice.is_button, choice.action["text"]) for choice in choices] == [
        ("ตรวจข่าว", False, "ตรวจข่าว"), ("ศูนย์ใกล้ฉัน", False, "ศูนย์ใกล้ฉัน"), ("หลักสูตร", False, "หลักสูตร"),
        ("ช่วยเหลือ", False, "ช่วยเหลือ"), ("วิธีตรวจข่าว", True, "ตรวจข่าว")]


def test_only_the_last_message_shows_its_quick_replies() -> None:
    lines, choices = render_messages([build_text_message("ก", main_quick_replies()), build_text_message("ข")])
    assert (lines, choices) == (["bot> ก", "bot> ข"], [])


def test_every_action_kind_becomes_a_choice() -> None:
    actions = [postback_action("ยืนยัน", "a=ok", "ยืนยันค่ะ"),
               uri_action("เว็บไซต์", "https://www.antifakenewscenter.com"), {"type": "location", "label": "ส่งตำแหน่ง"}]
    lines, choices = render_messages([build_text_message("เลือกเลยค่ะ", actions)])
    assert lines == ["bot> เลือกเลยค่ะ", "     1) ยืนยัน  2) เว็บไซต์  3) ส่งตำแหน่ง"]
    assert [choice.action for choice in choices] == actions


def test_horizontal_boxes_spans_and_carousels() -> None:
    row = {"type": "box", "layout": "baseline", "contents": [
        {"type": "icon", "url": "https://example.com/i.png"},
        {"type": "text", "text": "ผล:"},
        {"type": "text", "text": "ignored", "contents": [{"type": "span", "text": "ข่าว"},
                                                          {"type": "span", "text": "ปลอม", "weight": "bold"}]}]}
    first = {"type": "bubble", "hero": {"type": "image", "url": "https://example.com/h.png"},
             "body": {"type": "box", "layout": "vertical", "contents": [row]}}
    second = {"type": "bubble", "body": {"type": "box", "layout": "horizontal", "contents": [
        {"type": "button", "action": postback_action("แชร์", "a=share")},
        {"type": "button", "action": uri_action("อ่านต่อ", "https://example.com")}]}}
    message = build_flex_message("ผลตรวจ", {"type": "carousel", "contents": [first, second]})
    lines, choices = render_messages([message], kind="push")
    assert lines == ["bot (push)> (image)", "     ผล:  ข่าวปลอม", "     " + "-" * 20, "     [แชร์]  [อ่านต่อ]",
                     "     1) [แชร์]  2) [อ่านต่อ]"]
    assert [choice.action["type"] for choice in choices] == ["postback", "uri"]


def test_a_turn_of_reply_then_push_has_one_numbering() -> None:
    deliveries = [Delivery("reply", DEFAULT_USER, [build_guide_message()], None, "r1"),
                  Delivery("push", DEFAULT_USER, [build_text_message("ตามมาค่ะ", main_quick_replies())], None, "r2")]
    lines, choices = render_deliveries(deliveries)
    assert lines[-2:] == ["bot (push)> ตามมาค่ะ", QUICK_REPLIES + "  5) [วิธีตรวจข่าว]"]
    assert len(choices) == 5


def test_other_message_types_are_named() -> None:
    sticker = {"type": "sticker", "packageId": "446", "stickerId": "1988"}
    template = {"type": "template", "altText": "แบบสอบถาม", "template": {}}
    assert render_messages([sticker, template])[0] == ["bot> (sticker 446/1988)", "bot> (template message) แบบสอบถาม"]


# -- end to end -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Flask, str, str]]:
    """The real app serving its webhook on a thread, told to call LINE at a port the chat will listen on."""
    line_url = f"http://127.0.0.1:{free_port()}"
    app = make_app(f"sqlite:///{tmp_path / 'chat.sqlite3'}", line_url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="chat-test-bot")
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}/callback", line_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        finish(app)
    assert not thread.is_alive()


def test_chat_shows_the_welcome_the_guide_and_the_answer_to_a_picked_choice(served: tuple[Flask, str, str]) -> None:
    app, bot_url, line_url = served
    emulators = [t for t in threading.enumerate() if t.name == "line-emulator"]  # other tests' session emulator
    result = app.test_cli_runner().invoke(
        args=["chat", "--bot-url", bot_url, "--line-url", line_url, "--wait", "5", "--role", "volunteer"],
        input="ช่วยเหลือ\n1\n/quit\n")
    output = result.output
    assert result.exit_code == 0, output
    assert f"bot> {WELCOME}" in output
    assert output.count(f"bot> {GUIDE_TITLE}") == 2  # on follow, then for ช่วยเหลือ
    assert output.count(QUICK_REPLIES + "  5) [วิธีตรวจข่าว]") == 2
    assert f"you> ตรวจข่าว\nbot> {HOW_TO_CHECK.splitlines()[0]}" in output
    assert "(push)" not in output and "LINE refused" not in output and output.endswith("bye\n")
    assert [t for t in threading.enumerate() if t.name == "line-emulator"] == emulators  # the chat's one stopped
    with services(app).db.session() as session:
        user = find_user(session, DEFAULT_USER)
        assert user is not None and user.role is Role.VOLUNTEER and user.display_name == "ผู้ทดลอง"
        assert session.scalars(select(AuditEntry.actor)).all() == ["cli:chat"]


def test_chat_lists_the_roles_rich_menu_and_its_tab_shows_the_other_page(served: tuple[Flask, str, str]) -> None:
    app, bot_url, line_url = served
    first, second = menu_pages(Role.VOLUNTEER)
    tab = next(number for number, area in enumerate(first.areas, 1) if area.action["type"] == "richmenuswitch")
    tile = next(number for number, area in enumerate(second.areas, 1) if area.action.get("text") == "โปรไฟล์ อสด.")
    result = app.test_cli_runner().invoke(
        args=["chat", "--bot-url", bot_url, "--line-url", line_url, "--wait", "5", "--role", "volunteer"],
        input=f"{tab}\n{tile}\n/quit\n")
    output = result.output
    assert result.exit_code == 0, output
    assert f'Rich menu "{first.chat_bar_text}" ({first.name}):' in output  # shown after the welcome
    assert all(f"  {number}) {line}" in output for number, line in enumerate(describe(first), 1))
    assert f"({second.name}):" in output and all(line in output for line in describe(second))
    assert "you> โปรไฟล์ อสด." in output and "ยังไม่ได้สมัคร" in output  # a tile sends its text to the bot


def test_a_second_chat_session_with_the_same_bot_is_answered_too(served: tuple[Flask, str, str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app, bot_url, line_url = served
    for _process in range(2):  # each `make chat` is a new process: webhook event ids must not repeat across them
        monkeypatch.setattr("bot.devtools.webhooks._counter", itertools.count(1))
        result = app.test_cli_runner().invoke(args=["chat", "--bot-url", bot_url, "--line-url", line_url],
                                              input="/quit\n")
        assert f"bot> {WELCOME}" in result.output, result.output


def test_chat_sends_a_picture_from_a_file(served: tuple[Flask, str, str], tmp_path: Path) -> None:
    app, bot_url, line_url = served
    picture = tmp_path / "rumour.png"
    picture.write_bytes(b"not really a picture")
    result = app.test_cli_runner().invoke(args=["chat", "--bot-url", bot_url, "--line-url", line_url, "--wait", "5"],
                                          input=f"/image {picture}\n/image {tmp_path / 'missing.jpg'}\n/quit\n")
    assert result.exit_code == 0, result.output
    assert f"bot> {REJECTED[ImageProblem.NOT_AN_IMAGE]}" in result.output  # the bot fetched it, and refused it
    assert "Cannot read" in result.output and "usage: /image PATH" in result.output


def test_chat_says_how_to_start_an_unreachable_bot_and_keeps_going(served: tuple[Flask, str, str]) -> None:
    app, _bot_url, line_url = served
    dead_bot = f"http://127.0.0.1:{free_port()}/callback"
    result = app.test_cli_runner().invoke(args=["chat", "--bot-url", dead_bot, "--line-url", line_url],
                                          input="สวัสดี\n/help\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Start it in another terminal with `make run`") == 2  # follow, then สวัสดี
    assert "/location lat,lng" in result.output and result.output.endswith("bye\n")  # Ctrl-D ends it


def test_chat_explains_a_taken_emulator_port(served: tuple[Flask, str, str]) -> None:
    app, bot_url, _line_url = served
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        line_url = f"http://127.0.0.1:{taken.getsockname()[1]}"
        result = app.test_cli_runner().invoke(args=["chat", "--bot-url", bot_url, "--line-url", line_url])
    assert result.exit_code == 1 and "something other than the LINE emulator listens" in result.output


def test_chat_refuses_a_bad_user_id(served: tuple[Flask, str, str]) -> None:
    result = served[0].test_cli_runner().invoke(args=["chat", "--user", "alice"])
    assert result.exit_code == 2 and "32 lowercase hex" in result.output


def test_picking_postback_picker_and_link_choices(served: tuple[Flask, str, str], monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    app, bot_url, line_url = served
    picker = {"type": "datetimepicker", "label": "นัดวัน", "data": "a=visit", "mode": "date"}
    monkeypatch.setattr("click.prompt", lambda *_args, **_kwargs: "2026-12-01")
    port = int(line_url.rsplit(":", 1)[1])
    with LineEmulator(channel_access_token=CHANNEL_TOKEN, port=port) as emulator:
        chat = ChatSession(LocalLink(emulator), bot_url, app.config["LINE_CHANNEL_SECRET"], DEFAULT_USER,
                           wait_seconds=5)
        _lines, choices = render_messages([build_text_message("เลือก", [
            postback_action("ยืนยัน", "a=old", "ยืนยันค่ะ"), uri_action("เว็บ", "https://example.com")])])
        chat.choices = dict(enumerate(choices, 1))
        chat.handle("1")
        assert capsys.readouterr().out.startswith(f"you> ยืนยันค่ะ\nbot> {STALE_BUTTON}\n")
        chat.choices = {1: Choice("เว็บ", uri_action("เว็บ", "https://example.com")), 2: Choice("นัดวัน", picker)}
        chat.handle("1")
        chat.handle("2")
        out = capsys.readouterr().out
        assert "(opens https://example.com)" in out and out.endswith(f"{QUICK_REPLIES}\n")
        assert out.count(f"bot> {STALE_BUTTON}") == 1  # the picker's postback
        assert not emulator.mistakes


# -- two terminals: a citizen and a coordinator ----------------------------------------------------------

COORDINATOR = "U" + "c00d" * 8
RUMOUR = "ด่วน!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์"


def add_agencies(app: Flask) -> None:
    """What `flask agencies sync` would load, cut to the central desk and the bank the rumour names."""
    with services(app).db.session() as session:
        session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
        session.add(Agency(code="gsb", name="ธนาคารออมสิน", categories=[], keywords=["ออมสิน"], aliases=[]))


class Terminal:
    """A chat session on its own thread, typed into and read as a person at a terminal would."""

    def __init__(self, session: ChatSession) -> None:
        self.screen = session.out = io.StringIO()
        self.typed: queue.Queue[str] = queue.Queue()
        self.read_to = 0
        self.thread = threading.Thread(target=session.run, args=(self.ask,), name=f"terminal-{session.user_id}")
        self.thread.start()

    def ask(self) -> str:
        self.screen.write(PROMPT)
        line = self.typed.get(timeout=60)
        self.screen.write(line + "\n")
        return line

    def type(self, line: str) -> None:
        self.typed.put(line)

    def expect(self, text: str, timeout: float = 20.0) -> None:
        """Wait until `text` shows below what was already read."""
        deadline = time.monotonic() + timeout
        while (found := self.screen.getvalue().find(text, self.read_to)) < 0:
            assert time.monotonic() < deadline, f"{text!r} never showed in:\n{self.screen.getvalue()}"
            time.sleep(0.05)
        self.read_to = found + len(text)

    def pick(self, label: str) -> None:
        """Type the number the screen last showed for `label`."""
        numbers = re.findall(rf"(\d+)\) \[?{re.escape(label)}\]?", self.screen.getvalue())
        assert numbers, f"no choice {label!r} in:\n{self.screen.getvalue()}"
        self.type(numbers[-1])

    def quit(self) -> None:
        self.type("/quit")
        self.thread.join(timeout=30)


def test_a_tip_goes_from_the_citizen_terminal_to_the_coordinator_and_the_verdict_comes_back(
        served: tuple[Flask, str, str]) -> None:
    app, bot_url, line_url = served
    add_agencies(app)
    with services(app).db.session() as session:
        make_coordinator(session, COORDINATOR, "gsb", actor="test")
    secret = app.config["LINE_CHANNEL_SECRET"]
    port = int(line_url.rsplit(":", 1)[1])
    with LineEmulator(channel_access_token=CHANNEL_TOKEN, port=port) as emulator:
        remote = attach(line_url)  # the coordinator's terminal shares the citizen's emulator over HTTP
        assert remote is not None
        citizen = Terminal(ChatSession(LocalLink(emulator), bot_url, secret, DEFAULT_USER, wait_seconds=10))
        desk = Terminal(ChatSession(remote, bot_url, secret, COORDINATOR, wait_seconds=10))
        try:
            citizen.expect(WELCOME)
            desk.expect(WELCOME)
            citizen.type(RUMOUR)
            citizen.expect("ส่งให้เจ้าหน้าที่ตรวจสอบไหม")
            citizen.pick("ส่งเลย")
            citizen.expect("เลขที่อ้างอิง T-")

            desk.expect(f"{PROMPT}\nbot (multicast)> เรื่องที่ 1")  # printed over the idle prompt
            desk.expect(RUMOUR)
            desk.pick("รับเรื่อง")
            desk.expect("รับเรื่องที่ 1 แล้วค่ะ")
            desk.pick("ข่าวปลอม")  # on the card: its buttons still work after the text that followed it
            desk.expect("พิมพ์คำอธิบาย")
            desk.type("ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์ https://www.gsb.or.th/news")
            desk.expect("หัวข้อที่จะแจ้งประชาชน")
            desk.pick("ใช้หัวข้อนี้")
            desk.expect("กำลังแจ้งผู้ส่ง 1 คน")

            citizen.expect(f"{PROMPT}\nbot (multicast)> ")  # the verdict, while the citizen sat idle
            citizen.expect("ข่าวปลอม")
            citizen.expect("ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์")
        finally:
            citizen.quit()
            desk.quit()
        assert not emulator.mistakes
    assert not [t for t in threading.enumerate() if t.name.startswith("terminal-") or t.name == "chat-watcher"]


def test_a_second_chat_attaches_and_makes_its_user_a_coordinator(served: tuple[Flask, str, str]) -> None:
    app, bot_url, line_url = served
    add_agencies(app)
    port = int(line_url.rsplit(":", 1)[1])
    with LineEmulator(channel_access_token=CHANNEL_TOKEN, port=port) as emulator:  # as the first chat serves it
        result = app.test_cli_runner().invoke(input="/quit\n", args=[
            "chat", "--bot-url", bot_url, "--line-url", line_url, "--role", "coordinator", "--agency", "gsb",
            "--user", COORDINATOR, "--name", "เจ้าหน้าที่ออมสิน"])
        assert result.exit_code == 0, result.output
        assert f"LINE emulated by the `flask chat` already serving {line_url}" in result.output
        assert f"bot> {WELCOME}" in result.output
        assert [d.kind for d in emulator.delivered(COORDINATOR)] == ["reply"]
    with services(app).db.session() as session:
        user = session.scalars(select(User).where(User.line_user_id == COORDINATOR)).one()
        assert (user.role, user.agency_code, user.display_name) == (Role.COORDINATOR, "gsb", "เจ้าหน้าที่ออมสิน")
        assert set(session.scalars(select(AuditEntry.actor))) == {"cli:chat"}


def test_a_coordinator_needs_an_agency_the_database_knows(served: tuple[Flask, str, str]) -> None:
    app, bot_url, line_url = served
    args = ["chat", "--bot-url", bot_url, "--line-url", line_url, "--role", "coordinator"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2 and "needs --agency" in result.output
    result = app.test_cli_runner().invoke(args=[*args, "--agency", "afnc"])
    assert result.exit_code == 1 and "`flask agencies sync`" in result.output, result.output

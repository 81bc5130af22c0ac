"""`flask chat`: talk to a running bot from a terminal as a LINE user, with the LINE emulator playing LINE.

For trying the bot before a LINE channel exists: `make run` in one terminal, `make chat` in another. The first
chat serves the emulator; later ones (a coordinator, another citizen) attach to it through its control API, so
the bot's pushes to any of them reach the right terminal.
"""
from __future__ import annotations

import contextlib
import itertools
import mimetypes
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from bot.devtools.chat_link import EmulatorLink, LinkError, LocalLink, attach
from bot.devtools.chat_render import Choice, render_deliveries
from bot.richmenu.spec import RichMenuSpec, describe, menu_pages
from bot.runtime.services import current_services
from data.coordinators import CoordinatorError, make_coordinator
from data.models import Role
from data.users import apply_profile, find_user, set_role, touch_user

if TYPE_CHECKING:
    from bot.devtools.line_emulator import Delivery

DEFAULT_USER = "U" + "c0ffee00" * 4
USER_ID = re.compile(r"U[0-9a-f]{32}")
PROMPT = "you> "
QUIET_SECONDS = 1.0
"""A turn is over once the bot has been silent this long after its last message."""
POLL_SECONDS = 0.1
WATCH_SECONDS = 0.5
"""How often a chat waiting at the prompt looks for what the bot sent on its own: case cards, verdicts."""
PICKER_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime": "%Y-%m-%dT%H:%M"}
"""The value formats LINE puts in a datetime picker's postback params."""
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
COMMANDS = """\
Type a message and press Enter; a number picks one of the bot's numbered choices.
  /follow  /unfollow   add or block the bot
  /sticker             send a sticker
  /image PATH          send a picture (a screenshot of a rumour, say)
  /location lat,lng    share a location
  /menu                your rich menu: its areas become numbered choices
  /help                this list
  /quit                leave (or Ctrl-D)"""


def new_event_id() -> str:
    """A ULID, as LINE's webhookEventId is. Unique across chat sessions, or the bot drops repeats as redeliveries
    (bot.devtools.webhooks numbers its ids from 1 in every process)."""
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def typed_so_far() -> str:
    """What the user has typed at the prompt, to put back after news pushed the prompt up."""
    readline = sys.modules.get("readline")
    return str(readline.get_line_buffer()) if readline else ""


# -- one user's terminal -------------------------------------------------------------------------------


@dataclass
class ChatSession:
    """One user's conversation: sends signed webhooks to the bot and shows what LINE got back for them."""

    link: EmulatorLink
    bot_url: str
    secret: str
    user_id: str
    wait_seconds: float
    menu_pages: Callable[[], tuple[RichMenuSpec, ...]] = lambda: ()
    """The pages of the rich menu LINE shows this user now (their role can change during the chat)."""
    out: IO[str] | None = None  # None: the current stdout
    choices: dict[int, Choice] = field(default_factory=dict)
    seen: int = 0  # deliveries to this user already shown
    rejected: int = 0  # bot requests the emulator refused, already reported
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(time.time_ns()))
    lock: threading.Lock = field(default_factory=threading.Lock)
    """Held for a whole turn, so the watcher never shows a turn's answers as news."""
    idle: bool = False  # waiting at the main prompt: news may be printed over it

    def say(self, text: str = "", nl: bool = True) -> None:
        click.echo(text, file=self.out, nl=nl)

    def run(self, ask: Callable[[], str]) -> None:
        """Follow the bot, then chat until /quit; `ask` reads a line at the prompt (click.Abort ends the chat)."""
        # An attached chat starts where LINE is now, not with other sessions' history.
        self.seen = len(self.link.deliveries(self.user_id, 0))
        self.rejected = len(self.link.refusals(0))
        self.follow()  # as adding the bot as a LINE friend does
        self.show_menu()
        stop = threading.Event()
        watcher = threading.Thread(target=self.watch, args=(stop,), name="chat-watcher", daemon=True)
        watcher.start()
        try:
            while self.handle(self.read(ask)):
                pass
        finally:
            stop.set()
            watcher.join()

    def read(self, ask: Callable[[], str]) -> str:
        """A line from the prompt; only while the user sits there may the watcher print news over it."""
        with self.lock:
            self.idle = True
        try:
            return ask()
        finally:
            with self.lock:
                self.idle = False

    def watch(self, stop: threading.Event) -> None:
        while not stop.wait(WATCH_SECONDS):
            try:
                self.show_news()
            except LinkError as error:
                self.say(f"\n{error.message}")
                return

    def show_news(self) -> None:
        """Print what came while the user sat at the prompt (a case card, a verdict), then put the prompt back."""
        with self.lock:
            if not self.idle or not (self.link.deliveries(self.user_id, self.seen)
                                     or self.link.refusals(self.rejected)):
                return
            self.say()  # off the prompt line the user may be typing on
            self.show_answers(idle=True)
            self.say(PROMPT + typed_so_far(), nl=False)

    def handle(self, line: str) -> bool:
        """Act on one line the user typed; False means they want to leave."""
        line = line.strip()
        if line.startswith("/"):
            return self.command(line)
        if line.isdigit() and int(line) in self.choices:
            self.pick(self.choices[int(line)])
        elif line:
            self.send_message(type="text", text=line)
        return True

    def command(self, line: str) -> bool:
        name, _, argument = line.partition(" ")
        if name == "/quit":
            return False
        commands: dict[str, Callable[[], None]] = {
            "/follow": self.follow, "/unfollow": self.unfollow, "/help": lambda: self.say(COMMANDS),
            "/location": lambda: self.share_location(argument), "/menu": self.show_menu,
            "/sticker": lambda: self.send_message(type="sticker", packageId="446", stickerId="1988",
                                                  stickerResourceType="STATIC"),
            "/image": lambda: self.send_image(argument)}
        commands.get(name, lambda: self.say(f"Unknown command {name}; /help lists them."))()
        return True

    # -- what the user can do ------------------------------------------------------
    def follow(self) -> None:
        self.exchange("follow", follow={"isUnblocked": False})

    def unfollow(self) -> None:
        # LINE sends no reply token with unfollow, and the bot cannot answer a user who blocked it.
        if self.send("unfollow", reply=False):
            self.say("(you blocked the bot; /follow adds it again)")

    def show_menu(self, alias: str | None = None) -> None:
        """List the menu's areas as numbered choices; a tab (richmenuswitch) shows the page it switches to."""
        pages = self.menu_pages()
        if not pages:
            return
        page = next((spec for spec in pages if spec.name == alias), pages[0])
        self.say(f"Rich menu \"{page.chat_bar_text}\" ({page.name}):")
        choices = [Choice(str(area.action.get("label", area.action["type"])), area.action, is_button=True)
                   for area in page.areas]
        for number, line in enumerate(describe(page), 1):
            self.say(f"  {number}) {line}")
        self.choices = dict(enumerate(choices, 1))

    def share_location(self, text: str) -> None:
        try:
            latitude, longitude = (float(part) for part in text.split(","))
        except ValueError:
            self.say("A location is written lat,lng, for example 13.7563,100.5018")
            return
        self.send_message(type="location", latitude=latitude, longitude=longitude)

    def pick(self, choice: Choice) -> None:
        action = choice.action
        kind = action.get("type")
        if kind == "message":
            self.say(f"you> {action['text']}")
            self.send_message(type="text", text=action["text"])
        elif kind == "postback":
            if action.get("displayText"):
                self.say(f"you> {action['displayText']}")
            self.exchange("postback", postback={"data": action["data"]})
        elif kind == "uri":
            self.say(f"(opens {action['uri']})")
        elif kind == "location":
            self.share_location(click.prompt("Location to share (lat,lng)"))
        elif kind == "richmenuswitch":
            self.show_menu(action["richMenuAliasId"])  # LINE switches the page on the phone
        elif kind == "datetimepicker":
            self.pick_datetime(action)
        else:
            self.say(f"(a {kind} action cannot be tried in the terminal)")

    def pick_datetime(self, action: dict[str, Any]) -> None:
        mode = action["mode"]
        value = click.prompt(f"Pick a {mode} ({PICKER_FORMATS[mode]})", default=action.get("initial"))
        try:
            datetime.strptime(value, PICKER_FORMATS[mode])
        except ValueError:
            self.say(f"{value!r} is not a {mode} LINE's picker could return")
            return
        self.exchange("postback", postback={"data": action["data"], "params": {mode: value}})

    # -- the wire ------------------------------------------------------------------
    def send_image(self, path: str) -> None:
        """Put the file where LINE's content endpoint serves it, then send the image message that points at it."""
        try:
            data = Path(path).expanduser().read_bytes()
        except OSError as error:
            self.say(f"Cannot read {path!r} ({error.strerror or type(error).__name__}); usage: /image PATH")
            return
        message_id = str(next(self.ids))
        self.link.upload_content(message_id, data, mimetypes.guess_type(path)[0] or "application/octet-stream")
        self.exchange("message", message={"id": message_id, "quoteToken": secrets.token_urlsafe(16),
                                          "type": "image", "contentProvider": {"type": "line"}})

    def send_message(self, **fields: Any) -> None:
        # LINE gives every message a fresh id, and text, media, stickers and locations a quote token.
        self.exchange("message", message={"id": str(next(self.ids)), "quoteToken": secrets.token_urlsafe(16),
                                          **fields})

    def exchange(self, event_type: str, **fields: Any) -> None:
        with self.lock:
            if self.send(event_type, **fields):
                self.show_answers()

    def send(self, event_type: str, reply: bool = True, **fields: Any) -> bool:
        """POST one signed webhook event, as LINE would; True when the bot accepted it."""
        import requests  # the web app never needs requests nor the test builders

        from bot.devtools.webhooks import base_event, body_of, sign, user_source

        source = user_source(self.user_id)
        if reply:
            fields["replyToken"] = self.link.issue_reply_token(source)
        body = body_of(base_event(event_type, source, webhookEventId=new_event_id(), **fields))
        try:
            response = requests.post(self.bot_url, data=body, timeout=10, headers={
                "Content-Type": "application/json", "X-Line-Signature": sign(body, self.secret)})
        except requests.RequestException as error:
            self.say(f"Cannot reach the bot at {self.bot_url} ({type(error).__name__}). "
                     "Start it in another terminal with `make run`, then try again.")
            return False
        if response.status_code != 200:
            hint = " Is --secret the bot's LINE_CHANNEL_SECRET?" if response.status_code == 400 else ""
            self.say(f"The bot answered {response.status_code}: {response.text.strip()}{hint}")
            return False
        return True

    def show_answers(self, idle: bool = False) -> None:
        """One turn of the bot: its messages until it goes quiet, and what LINE refused meanwhile. An answer is
        awaited up to --wait; news (`idle`) is already there."""
        deliveries = self.await_deliveries(QUIET_SECONDS if idle else self.wait_seconds)
        self.report_rejections()
        if not deliveries:
            if not idle:
                self.say(f"(no answer within {self.wait_seconds:g} s)")
            return
        lines, choices = render_deliveries(deliveries)
        self.say("\n".join(lines))
        # LINE hides quick replies once any message follows, but a card's buttons stay tappable: a turn without
        # choices of its own (say "take the case, then pick a verdict on the card") keeps the earlier buttons.
        self.choices = dict(enumerate(choices, 1)) if choices else {
            number: choice for number, choice in self.choices.items() if choice.is_button}

    def await_deliveries(self, first_within: float) -> list[Delivery]:
        """Poll until the bot has been quiet for QUIET_SECONDS after its last message, or --wait runs out; with
        nothing in `first_within` seconds, stop there."""
        found: list[Delivery] = []
        deadline = time.monotonic() + self.wait_seconds
        settled_at = time.monotonic() + first_within
        while time.monotonic() < min(deadline, settled_at):
            time.sleep(POLL_SECONDS)
            new = self.link.deliveries(self.user_id, self.seen + len(found))
            if new:
                found += new
                settled_at = time.monotonic() + QUIET_SECONDS
        self.seen += len(found)
        return found

    def report_rejections(self) -> None:
        """A bot request the emulator refused never reaches the user: say why instead of staying silent."""
        refused = self.link.refusals(self.rejected)
        for request in refused:
            self.say(f"(LINE refused the bot's {request.method} {request.path}: {'; '.join(request.errors)})")
        self.rejected += len(refused)


# -- the command ---------------------------------------------------------------------------------------


def _set_role(user_id: str, name: str, role: Role, agency: str | None) -> None:
    """Give the user `role`; `agency` comes with the coordinator role, and only with it."""
    try:
        with current_services().db.session() as session:
            user, created = touch_user(session, user_id)
            if created:  # the bot fetches profiles only for users it creates itself: store what LINE would say
                apply_profile(user, {"displayName": name})
            if agency is None:
                set_role(session, user, role, actor="cli:chat")
            else:
                make_coordinator(session, user_id, agency, actor="cli:chat")
    except CoordinatorError:
        raise click.ClickException(f"there is no agency {agency!r} in this database. Load the agencies of "
                                   "data/agencies.yaml with `flask agencies sync`, then try again.") from None
    except SQLAlchemyError as error:
        raise click.ClickException(f"could not set the role ({type(error).__name__}); has `flask db upgrade` "
                                   "run on this DATABASE_URL? `make run` does it.") from None


def _menu_pages(user_id: str) -> tuple[RichMenuSpec, ...]:
    with current_services().db.session() as session:
        user = find_user(session, user_id)
        return menu_pages(user.role if user else None)


def _config(key: str) -> str:
    value = current_app.config.get(key)
    if not value:
        raise click.ClickException(f"{key} is not set; `make chat` sets the local one (and `make run` uses it too).")
    return str(value)


def _serve_emulator(host: str, port: int, stack: contextlib.ExitStack) -> LocalLink:
    from bot.devtools.line_emulator import LineEmulator  # test infrastructure, loaded only to chat

    emulator = LineEmulator(channel_access_token=_config("LINE_CHANNEL_ACCESS_TOKEN"), host=host, port=port)
    try:
        stack.enter_context(emulator)
    except SystemExit:  # werkzeug exits when it cannot listen, after printing why (usually: port taken)
        raise click.ClickException(f"cannot serve the LINE emulator on {host}:{port}; "
                                   "is another program using that port?") from None
    return LocalLink(emulator)


@click.command("chat")
@click.option("--bot-url", default="http://127.0.0.1:8000/callback", show_default=True, help="The bot's webhook.")
@click.option("--line-url", default="http://127.0.0.1:8091", show_default=True,
              help="The LINE emulator, the bot's LINE_API_BASE_URL: served here, or attached to if another "
                   "`flask chat` serves it.")
@click.option("--user", "user_id", default=DEFAULT_USER, show_default=True, help="Your LINE user id.")
@click.option("--name", default="ผู้ทดลอง", show_default=True, help="Display name LINE's profile API returns.")
@click.option("--role", type=click.Choice([role.value for role in Role]), help="Set your role in the database first.")
@click.option("--agency", help="With --role coordinator: your agency's code (see data/agencies.yaml).")
@click.option("--secret", help="Channel secret to sign webhooks with (default: LINE_CHANNEL_SECRET).")
@click.option("--wait", "wait_seconds", default=8.0, show_default=True, help="Seconds to wait for answers.")
@with_appcontext
def chat_command(bot_url: str, line_url: str, user_id: str, name: str, role: str | None, agency: str | None,
                 secret: str | None, wait_seconds: float) -> None:
    """Chat with the running bot as a LINE user."""
    if not USER_ID.fullmatch(user_id):
        raise click.BadParameter("a LINE user id is U followed by 32 lowercase hex digits", param_hint="--user")
    if (role == Role.COORDINATOR.value) != (agency is not None):
        raise click.BadParameter("--role coordinator needs --agency CODE, and only it takes one",
                                 param_hint="--agency")
    secret = secret or _config("LINE_CHANNEL_SECRET")
    line = urlsplit(line_url)
    if line.scheme != "http" or not line.hostname or not line.port:
        raise click.BadParameter("use http://host:port", param_hint="--line-url")
    if role:
        _set_role(user_id, name, Role(role), agency)
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (arrow keys and history at the prompt, where available)
    with contextlib.ExitStack() as stack:
        attached = attach(line_url)
        link: EmulatorLink = attached or _serve_emulator(line.hostname, line.port, stack)
        where = (f"LINE emulated by the `flask chat` already serving {line_url}" if attached else
                 f"LINE emulated here at {line_url} (later `flask chat` terminals attach to it: quit this one last)")
        link.set_profile(user_id, name)
        details = "".join(f", {part}" for part in (role, agency) if part)
        click.echo(f"ChuayCheck chat as {name} ({user_id}{details}): bot {bot_url}, {where}.\n{COMMANDS}\n")
        session = ChatSession(link, bot_url, secret, user_id, wait_seconds, menu_pages=lambda: _menu_pages(user_id))
        try:  # chat until /quit, Ctrl-D or Ctrl-C
            session.run(lambda: click.prompt("you", prompt_suffix="> "))  # click prints PROMPT
        except (click.Abort, KeyboardInterrupt):
            click.echo()
    click.echo("bye")

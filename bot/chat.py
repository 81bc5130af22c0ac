"""`flask chat`: talk to a running bot from a terminal as a LINE user, with the LINE emulator playing LINE.

For trying the bot before a LINE channel exists: `make run` in one terminal, `make chat` in another.
"""
from __future__ import annotations

import contextlib
import itertools
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from bot.chat_render import Choice, render_deliveries
from bot.services import current_services
from data.models import Role
from data.users import apply_profile, set_role, touch_user

if TYPE_CHECKING:
    from tests.line_emulator import Delivery, LineEmulator

DEFAULT_USER = "U" + "c0ffee00" * 4
USER_ID = re.compile(r"U[0-9a-f]{32}")
QUIET_SECONDS = 1.0
"""A turn is over once the bot has been silent this long after its last message."""
POLL_SECONDS = 0.1
PICKER_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime": "%Y-%m-%dT%H:%M"}
"""The value formats LINE puts in a datetime picker's postback params."""
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
COMMANDS = """\
Type a message and press Enter; a number picks one of the bot's numbered choices.
  /follow  /unfollow   add or block the bot
  /sticker  /image     send a sticker or a photo
  /location lat,lng    share a location
  /help                this list
  /quit                leave (or Ctrl-D)"""


def new_event_id() -> str:
    """A ULID, as LINE's webhookEventId is. Unique across chat sessions, or the bot drops repeats as redeliveries
    (tests.webhooks numbers its ids from 1 in every process)."""
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


@dataclass
class ChatSession:
    """One user's conversation: sends signed webhooks to the bot and shows what LINE got back for them."""

    emulator: LineEmulator
    bot_url: str
    secret: str
    user_id: str
    wait_seconds: float
    choices: list[Choice] = field(default_factory=list)
    seen: int = 0  # deliveries to this user already shown
    rejected: int = 0  # bot requests the emulator refused, already reported
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(time.time_ns()))

    def handle(self, line: str) -> bool:
        """Act on one line the user typed; False means they want to leave."""
        line = line.strip()
        if line.startswith("/"):
            return self.command(line)
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            self.pick(self.choices[int(line) - 1])
        elif line:
            self.send_message(type="text", text=line)
        return True

    def command(self, line: str) -> bool:
        name, _, argument = line.partition(" ")
        if name == "/quit":
            return False
        commands: dict[str, Callable[[], None]] = {
            "/follow": self.follow, "/unfollow": self.unfollow, "/help": lambda: click.echo(COMMANDS),
            "/location": lambda: self.share_location(argument),
            "/sticker": lambda: self.send_message(type="sticker", packageId="446", stickerId="1988",
                                                  stickerResourceType="STATIC"),
            "/image": lambda: self.send_message(type="image", contentProvider={"type": "line"})}
        commands.get(name, lambda: click.echo(f"Unknown command {name}; /help lists them."))()
        return True

    # -- what the user can do ------------------------------------------------------
    def follow(self) -> None:
        self.exchange("follow", follow={"isUnblocked": False})

    def unfollow(self) -> None:
        # LINE sends no reply token with unfollow, and the bot cannot answer a user who blocked it.
        if self.send("unfollow", reply=False):
            click.echo("(you blocked the bot; /follow adds it again)")

    def share_location(self, text: str) -> None:
        try:
            latitude, longitude = (float(part) for part in text.split(","))
        except ValueError:
            click.echo("A location is written lat,lng, for example 13.7563,100.5018")
            return
        self.send_message(type="location", latitude=latitude, longitude=longitude)

    def pick(self, choice: Choice) -> None:
        action = choice.action
        kind = action.get("type")
        if kind == "message":
            click.echo(f"you> {action['text']}")
            self.send_message(type="text", text=action["text"])
        elif kind == "postback":
            if action.get("displayText"):
                click.echo(f"you> {action['displayText']}")
            self.exchange("postback", postback={"data": action["data"]})
        elif kind == "uri":
            click.echo(f"(opens {action['uri']})")
        elif kind == "location":
            self.share_location(click.prompt("Location to share (lat,lng)"))
        elif kind == "datetimepicker":
            self.pick_datetime(action)
        else:
            click.echo(f"(a {kind} action cannot be tried in the terminal)")

    def pick_datetime(self, action: dict[str, Any]) -> None:
        mode = action["mode"]
        value = click.prompt(f"Pick a {mode} ({PICKER_FORMATS[mode]})", default=action.get("initial"))
        try:
            datetime.strptime(value, PICKER_FORMATS[mode])
        except ValueError:
            click.echo(f"{value!r} is not a {mode} LINE's picker could return")
            return
        self.exchange("postback", postback={"data": action["data"], "params": {mode: value}})

    # -- the wire ------------------------------------------------------------------
    def send_message(self, **fields: Any) -> None:
        # LINE gives every message a fresh id, and text, media, stickers and locations a quote token.
        self.exchange("message", message={"id": str(next(self.ids)), "quoteToken": secrets.token_urlsafe(16),
                                          **fields})

    def exchange(self, event_type: str, **fields: Any) -> None:
        if self.send(event_type, **fields):
            self.show_answers()

    def send(self, event_type: str, reply: bool = True, **fields: Any) -> bool:
        """POST one signed webhook event, as LINE would; True when the bot accepted it."""
        import requests  # the web app never needs requests nor the test builders

        from tests.webhooks import base_event, body_of, sign, user_source

        source = user_source(self.user_id)
        if reply:
            fields["replyToken"] = self.emulator.issue_reply_token(source)
        body = body_of(base_event(event_type, source, webhookEventId=new_event_id(), **fields))
        try:
            response = requests.post(self.bot_url, data=body, timeout=10, headers={
                "Content-Type": "application/json", "X-Line-Signature": sign(body, self.secret)})
        except requests.RequestException as error:
            click.echo(f"Cannot reach the bot at {self.bot_url} ({type(error).__name__}). "
                       "Start it in another terminal with `make run`, then try again.")
            return False
        if response.status_code != 200:
            hint = " Is --secret the bot's LINE_CHANNEL_SECRET?" if response.status_code == 400 else ""
            click.echo(f"The bot answered {response.status_code}: {response.text.strip()}{hint}")
            return False
        return True

    def show_answers(self) -> None:
        deliveries = self.await_deliveries()
        self.report_rejections()
        if not deliveries:
            click.echo(f"(no answer within {self.wait_seconds:g} s)")
            return
        lines, self.choices = render_deliveries(deliveries)
        click.echo("\n".join(lines))

    def await_deliveries(self) -> list[Delivery]:
        """Poll until the bot has been quiet for QUIET_SECONDS after its last message, or --wait runs out."""
        first = self.seen
        deadline = time.monotonic() + self.wait_seconds
        settled_at = deadline
        while time.monotonic() < min(deadline, settled_at):
            time.sleep(POLL_SECONDS)
            count = len(self.emulator.delivered(self.user_id))
            if count > self.seen:
                self.seen = count
                settled_at = time.monotonic() + QUIET_SECONDS
        return self.emulator.delivered(self.user_id)[first:self.seen]

    def report_rejections(self) -> None:
        """A bot request the emulator refused never reaches the user: say why instead of staying silent."""
        rejected = self.emulator.rejected
        for request in rejected[self.rejected:]:
            click.echo(f"(LINE refused the bot's {request.method} {request.path}: {'; '.join(request.errors)})")
        self.rejected = len(rejected)


def _set_role(user_id: str, name: str, role: Role) -> None:
    try:
        with current_services().db.session() as session:
            user, created = touch_user(session, user_id)
            if created:  # the bot fetches profiles only for users it creates itself: store what LINE would say
                apply_profile(user, {"displayName": name})
            set_role(session, user, role, actor="cli:chat")
    except SQLAlchemyError as error:
        raise click.ClickException(f"could not set the role ({type(error).__name__}); has `flask db upgrade` "
                                   "run on this DATABASE_URL? `make run` does it.") from None


def _config(key: str) -> str:
    value = current_app.config.get(key)
    if not value:
        raise click.ClickException(f"{key} is not set; `make chat` sets the local one (and `make run` uses it too).")
    return str(value)


@click.command("chat")
@click.option("--bot-url", default="http://127.0.0.1:8000/callback", show_default=True, help="The bot's webhook.")
@click.option("--line-url", default="http://127.0.0.1:8091", show_default=True,
              help="Where to serve the LINE emulator: the bot's LINE_API_BASE_URL.")
@click.option("--user", "user_id", default=DEFAULT_USER, show_default=True, help="Your LINE user id.")
@click.option("--name", default="ผู้ทดลอง", show_default=True, help="Display name LINE's profile API returns.")
@click.option("--role", type=click.Choice([role.value for role in Role]), help="Set your role in the database first.")
@click.option("--secret", help="Channel secret to sign webhooks with (default: LINE_CHANNEL_SECRET).")
@click.option("--wait", "wait_seconds", default=8.0, show_default=True, help="Seconds to wait for answers.")
@with_appcontext
def chat_command(bot_url: str, line_url: str, user_id: str, name: str, role: str | None, secret: str | None,
                 wait_seconds: float) -> None:
    """Chat with the running bot as a LINE user."""
    from tests.line_emulator import LineEmulator  # test infrastructure, loaded only to chat

    if not USER_ID.fullmatch(user_id):
        raise click.BadParameter("a LINE user id is U followed by 32 lowercase hex digits", param_hint="--user")
    secret = secret or _config("LINE_CHANNEL_SECRET")
    token = _config("LINE_CHANNEL_ACCESS_TOKEN")
    line = urlsplit(line_url)
    if line.scheme != "http" or not line.hostname or not line.port:
        raise click.BadParameter("use http://host:port", param_hint="--line-url")
    if role:
        _set_role(user_id, name, Role(role))
    emulator = LineEmulator(channel_access_token=token, host=line.hostname, port=line.port)
    try:
        emulator.start()
    except SystemExit:  # werkzeug exits when it cannot listen, after printing why (usually: port taken)
        raise click.ClickException(f"cannot serve the LINE emulator on {line_url}; "
                                   "is another `flask chat` running?") from None
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (arrow keys and history at the prompt, where available)
    try:
        emulator.set_profile(user_id, name)
        click.echo(f"ChuayCheck chat as {name} ({user_id}{', ' + role if role else ''}): bot {bot_url}, "
                   f"LINE emulated at {line_url}.\n{COMMANDS}\n")
        session = ChatSession(emulator, bot_url, secret, user_id, wait_seconds)
        session.follow()  # as adding the bot as a LINE friend does; then chat until /quit, Ctrl-D or Ctrl-C
        while session.handle(click.prompt("you", prompt_suffix="> ")):
            pass
    except (click.Abort, KeyboardInterrupt):
        click.echo()
    finally:
        emulator.stop()
    click.echo("bye")

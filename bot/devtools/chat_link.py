"""Where `flask chat` finds LINE: the emulator it serves itself, or one another chat serves (attached over HTTP)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import click

if TYPE_CHECKING:
    from bot.devtools.line_emulator import Delivery, LineEmulator

PROBE_SECONDS = 1.0
"""How long to wait for an emulator to answer the attach probe."""


@dataclass(frozen=True)
class Refusal:
    """A bot request the emulator refused: it reached nobody, so the chat says why."""

    method: str
    path: str
    errors: list[str]


class LinkError(click.ClickException):
    """The emulator this chat attached to went away: it lived inside the chat that served it."""


class EmulatorLink(Protocol):
    """What a chat needs from the LINE emulator, whether it serves one itself or attached to another chat's."""

    def issue_reply_token(self, source: dict[str, Any]) -> str: ...

    def deliveries(self, user_id: str, after: int) -> list[Delivery]: ...

    def set_profile(self, user_id: str, display_name: str) -> None: ...

    def refusals(self, after: int) -> list[Refusal]: ...

    def upload_content(self, message_id: str, data: bytes, content_type: str) -> None:
        """What LINE's content endpoint serves for the message: a picture the user sends."""


@dataclass(frozen=True)
class LocalLink:
    """The emulator this chat serves, in its own process."""

    emulator: LineEmulator

    def issue_reply_token(self, source: dict[str, Any]) -> str:
        return self.emulator.issue_reply_token(source)

    def deliveries(self, user_id: str, after: int) -> list[Delivery]:
        return self.emulator.delivered(user_id)[after:]

    def set_profile(self, user_id: str, display_name: str) -> None:
        self.emulator.set_profile(user_id, display_name)

    def refusals(self, after: int) -> list[Refusal]:
        return [Refusal(r.method, r.path, [str(e) for e in r.errors]) for r in self.emulator.rejected[after:]]

    def upload_content(self, message_id: str, data: bytes, content_type: str) -> None:
        self.emulator.upload_content(message_id, data, content_type)


@dataclass(frozen=True)
class HttpLink:
    """An emulator another `flask chat` serves, through its control API (see bot/devtools/line_emulator/server.py)."""

    control_url: str  # ends with the control prefix

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        import requests  # the web app never needs requests

        try:
            response = requests.request(method, self.control_url + path, timeout=5, **kwargs)
            response.raise_for_status()
            return dict(response.json())
        except (requests.RequestException, ValueError) as error:
            where = urlsplit(self.control_url).netloc
            raise LinkError(f"lost the LINE emulator on {where} ({type(error).__name__}). It runs inside the first "
                            "`flask chat`: start that again, then this one.") from None

    def issue_reply_token(self, source: dict[str, Any]) -> str:
        return str(self._call("POST", "reply-tokens", json={"source": source})["replyToken"])

    def deliveries(self, user_id: str, after: int) -> list[Delivery]:
        from bot.devtools.line_emulator import Delivery

        found = self._call("GET", "deliveries", params={"to": user_id, "after": after})["deliveries"]
        return [Delivery(d["kind"], d["to"], d["messages"], d["retryKey"], d["requestId"]) for d in found]

    def set_profile(self, user_id: str, display_name: str) -> None:
        self._call("PUT", f"profiles/{user_id}", json={"displayName": display_name})

    def refusals(self, after: int) -> list[Refusal]:
        found = self._call("GET", "rejected", params={"after": after})["rejected"]
        return [Refusal(r["method"], r["path"], r["errors"]) for r in found]

    def upload_content(self, message_id: str, data: bytes, content_type: str) -> None:
        self._call("PUT", f"contents/{message_id}", data=data, headers={"Content-Type": content_type})


def attach(line_url: str) -> HttpLink | None:
    """The emulator already serving `line_url`, or None when nothing listens there."""
    import requests

    from bot.devtools.line_emulator.server import CONTROL_PREFIX

    link = HttpLink(line_url + CONTROL_PREFIX)
    try:
        response = requests.get(link.control_url + "rejected", timeout=PROBE_SECONDS)
        if response.ok and "rejected" in response.json():
            return link
    except requests.ConnectionError:
        return None
    except (requests.RequestException, ValueError):
        pass  # it answered, but not as the emulator does
    raise click.ClickException(f"something other than the LINE emulator listens on {line_url}; "
                               "choose another --line-url (and point the bot's LINE_API_BASE_URL there)")

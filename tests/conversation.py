"""Multi-step conversations with the bot, as a citizen or a coordinator would have them."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker

from bot.devtools.line_emulator import Delivery, LineEmulator
from bot.devtools.webhooks import base_event, body_of, post, text_event, user_source
from bot.runtime.queue import InProcessQueue, RQJobQueue
from tests.conftest import CHANNEL_SECRET, services


def drain(app: Flask) -> None:
    """Run every queued job: the in-process threads, or an RQ worker in burst mode as `flask worker` would."""
    queue = services(app).queue
    if isinstance(queue, RQJobQueue):
        with app.app_context():
            queue.worker(SimpleWorker).work(burst=True)
    else:
        assert isinstance(queue, InProcessQueue) and queue.drain(timeout=60)


def send_postback(client: FlaskClient, line: LineEmulator, user: str, data: str) -> None:
    event = base_event("postback", user_source(user), replyToken=line.issue_reply_token(user_source(user)),
                       postback={"data": data})
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200


def send_text(client: FlaskClient, line: LineEmulator, user: str, text: str) -> None:
    assert post(client, body_of(text_event(user, text, line.issue_reply_token(user_source(user)))),
                CHANNEL_SECRET).status_code == 200


def last_to(line: LineEmulator, user: str) -> Delivery:
    return line.delivered(user)[-1]


def ask(app: Flask, line: LineEmulator, user: str, text: str) -> list[dict[str, Any]]:
    """Send a text, run the jobs, and return the messages of the bot's answer."""
    send_text(app.test_client(), line, user, text)
    drain(app)
    return last_to(line, user).messages


def ask_postback(app: Flask, client: FlaskClient, line: LineEmulator, user: str, data: str) -> list[dict[str, Any]]:
    """Tap a button, run the jobs, and return the messages of the bot's answer."""
    send_postback(client, line, user, data)
    drain(app)
    return last_to(line, user).messages


def quick_reply_data(message: dict[str, Any], label: str) -> str:
    return next(item["action"]["data"] for item in message["quickReply"]["items"]
                if item["action"]["label"] == label)


def button_data(message: dict[str, Any], label: str) -> str:
    found = [node["action"]["data"] for node in _walk(message) if isinstance(node, dict)
             and node.get("type") == "button" and node["action"]["label"] == label]
    assert found, f"no button {label!r}"
    return found[0]


def seen_text(messages: list[dict[str, Any]]) -> str:
    """What a person reads in messages: texts, alt texts and labels, never the postback data behind buttons."""
    return "\n".join(str(node[key]) for message in messages for node in _walk(message) if isinstance(node, dict)
                     for key in ("text", "altText", "label") if isinstance(node.get(key), str))


def _walk(node: Any) -> list[Any]:
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return [node, *(item for child in children for item in _walk(child))]


def tip_off(app: Flask, client: FlaskClient, line: LineEmulator, user: str, text: str) -> None:
    """A citizen forwards the rumour, is offered to send it, and says ส่งเลย."""
    send_text(client, line, user, text)
    drain(app)
    offer = last_to(line, user).messages[-1]
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in offer["text"]
    send_postback(client, line, user, quick_reply_data(offer, "ส่งเลย"))
    drain(app)
    assert "เลขที่อ้างอิง T-" in last_to(line, user).messages[0]["text"]


def rule(app: Flask, client: FlaskClient, line: LineEmulator, coordinator: str, card: dict[str, Any], verdict: str,
         explanation: str) -> None:
    """The coordinator takes the case on `card`, picks the `verdict` button and types the explanation; the title
    waits to be confirmed."""
    for label in ("รับเรื่อง", verdict):
        send_postback(client, line, coordinator, button_data(card, label))
        drain(app)
    send_text(client, line, coordinator, explanation)


def confirm_title(app: Flask, client: FlaskClient, line: LineEmulator, coordinator: str) -> str:
    """After the explanation, the coordinator confirms the prefilled claim title; returns that title."""
    drain(app)
    question = last_to(line, coordinator).messages[0]
    assert question["text"].startswith("หัวข้อที่จะแจ้งประชาชน")
    send_postback(client, line, coordinator, quick_reply_data(question, "ใช้หัวข้อนี้"))
    drain(app)
    return question["text"].split("“", 1)[1].split("”", 1)[0]

"""Bad input never answers 5xx: thousands of correctly signed, mutated LINE webhooks and `/api/v1/check` bodies
against PostgreSQL and RQ on Redis (where column widths and job ids are enforced), with no traceback logged."""
from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import DESTINATION, event_id, post
from tests.conftest import CHANNEL_SECRET, finish, make_app
from tests.services import REDIS_URL, require_postgres, require_redis

SAMPLES = Path(__file__).parent / "data" / "webhook-samples" / "sdk-webhook-events.json"
WEBHOOK_BODIES = 10_000
CHECK_BODIES = 2000
SEED = 20261124
"""Fixed, so a failure found here is found again on the next run."""

Json = Any
Mutation = Callable[[random.Random, Json], Json]


@pytest.fixture()
def app(line: LineEmulator) -> Iterator[Flask]:
    redis = require_redis()
    # A 500 must come back as a response to count, not as an exception raised into the test.
    app = make_app(require_postgres(), line.base_url, REDIS_URL=REDIS_URL, SEMANTIC_MATCHING=0,
                   PROPAGATE_EXCEPTIONS=False)
    yield app
    finish(app)
    redis.flushdb()
    redis.close()


def odd_values(rng: random.Random) -> list[Json]:
    """Values of every JSON type, and strings LINE never sends: huge, lone surrogates, NUL, odd ids."""
    return [None, True, 0, -1, 10**30, 1.5e308, "", " ", "x" * rng.choice((65, 300, 5001, 100_000, 900_000)),
            "\ud800", "U\udfff" + "0" * 31, "a\x00b", "U" + "0" * 32 + "/../x", "U 1", "ยูสเซอร์", "U:1*?",
            "🙂" * 3000, [], {}, [1, "a"], {"type": "user"}, {"type": 7}]


def leaves(body: Json) -> list[tuple[Any, ...]]:
    """Paths to every value in `body`, containers included (without recursion: bodies are nested deep)."""
    paths, stack = [], [((), body)]
    while stack:
        path, node = stack.pop()
        paths.append(path)
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend(((*path, key), child) for key, child in children)
    return paths


def replace_at(node: Json, path: tuple[Any, ...], value: Json) -> Json:
    if not path:
        return value
    parent = node
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return node


def inner_path(rng: random.Random, body: Json) -> tuple[Any, ...]:
    """Mostly a path inside one event, where a mutation reaches the handlers; sometimes anywhere."""
    paths = leaves(body)
    inside = [path for path in paths if len(path) > 2 and path[0] == "events"]
    return rng.choice(inside if inside and rng.random() < 0.9 else paths)


def retype(rng: random.Random, body: Json) -> Json:
    return replace_at(body, inner_path(rng, body), rng.choice(odd_values(rng)))


def drop_key(rng: random.Random, body: Json) -> Json:
    path = inner_path(rng, body)
    if not path:
        return body
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    parent.pop(path[-1])
    return body


def nest(rng: random.Random, body: Json) -> Json:
    depth = rng.choice((40, 300))  # deeper bodies than json.dumps can write are built as raw text below
    value: Json = "x"
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    return replace_at(body, inner_path(rng, body), value)


def events_of(body: Json) -> list[dict[str, Any]]:
    events = body.get("events") if isinstance(body, dict) else None
    return [event for event in events if isinstance(event, dict)] if isinstance(events, list) else []


def unknown_type(rng: random.Random, body: Json) -> Json:
    for event in events_of(body):
        event["type"] = rng.choice(("teleport", "", "message ", "MESSAGE", "unsend2", "postback\ud800"))
    return body


def odd_user(rng: random.Random, body: Json) -> Json:
    """User ids no job id, log line or column may choke on."""
    for event in events_of(body):
        if isinstance(event.get("source"), dict):
            event["source"]["userId"] = rng.choice(("U\ud800", "U" + "f" * 31 + "\udc00", "\ud83d", "U 1", "U:1*?",
                                                    "ยูสเซอร์", "U/" + "0" * 31, "U" + "0" * 64, "", "U\x00"))
    return body


def odd_text(rng: random.Random, body: Json) -> Json:
    """Texts LINE would not deliver: past its 5,000 characters, with surrogates, NUL or only emoji."""
    for event in events_of(body):
        if isinstance(event.get("message"), dict):
            event["message"]["text"] = rng.choice(("ก" * 5001, "ข่าว " * 150_000, "\ud800", "a\x00", "🙂" * 2500,
                                                   "ด่วน!! " * 700))
    return body


MUTATIONS: tuple[Mutation, ...] = (retype, retype, drop_key, nest, unknown_type, odd_user, odd_user, odd_text,
                                   odd_text)


def base_bodies() -> list[Json]:
    events = json.loads(SAMPLES.read_text())["events"]
    return [{"destination": DESTINATION, "events": [event]} for event in events] + \
        [{"destination": DESTINATION, "events": events[:5]}]


def mutated_webhooks(count: int, rng: random.Random) -> Iterator[bytes]:
    bases = base_bodies()
    for _ in range(count):
        body = json.loads(json.dumps(rng.choice(bases)))
        for event in body["events"]:
            event["webhookEventId"] = event_id()  # the samples share one id: dedupe would drop every repeat
        for _ in range(rng.choice((1, 1, 2, 3))):
            body = rng.choice(MUTATIONS)(rng, body)
        yield raw_body(rng, body)


def raw_body(rng: random.Random, body: Json) -> bytes:
    """The body as text; one in fifty nested past what any recursive JSON reader can take."""
    if rng.random() < 0.02:
        depth = rng.choice((5_000, 100_000))
        return ('{"destination":"x","events":[' + "[" * depth + "]" * depth + "]}").encode()
    return json.dumps(body).encode()  # ensure_ascii: a lone surrogate goes out as the escape \ud800


def mutated_checks(count: int, rng: random.Random) -> Iterator[bytes]:
    texts: list[Json] = ["ออมสินแจกเงิน 3,000 บาท จริงไหม", "x" * 5001, "\ud800", "ข่าว\udfffปลอม", "a\x00b", 7,
                         None, [], {"text": "x"}, " ", "🙂" * 2000]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.1:
            depth = rng.choice((100, 5_000, 200_000))
            yield ("[" * depth + "]" * depth).encode()
        elif roll < 0.2:
            yield rng.choice((b"", b"{", b"\xff\xfe", b'{"text": "\xed\xa0\x80"}', b"null", b'"text"', b"[]"))
        else:
            body = {"text": rng.choice(texts)}
            for _ in range(rng.randint(0, 2)):
                body = rng.choice((retype, nest, drop_key))(rng, body)
            yield json.dumps(body).encode()


def tracebacks(records: list[logging.LogRecord]) -> list[str]:
    """Records a log file would show with a traceback, or could not even write (not UTF-8)."""
    bad = []
    for record in records:
        message = record.getMessage()
        try:
            message.encode("utf-8")
        except UnicodeEncodeError:
            bad.append(f"{record.name}: unwritable message {message[:80]!r}")
            continue
        if record.exc_info or "Traceback" in message:
            bad.append(f"{record.name}: {message[:200]}")
    return bad


def test_fuzzed_webhooks_never_answer_5xx(app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(SEED)
    statuses: Counter[int] = Counter()
    failures = []
    for raw in mutated_webhooks(WEBHOOK_BODIES, rng):
        status = post(client, raw, CHANNEL_SECRET).status_code
        statuses[status] += 1
        if status >= 500 and len(failures) < 5:
            failures.append(raw[:300])
    assert not failures, (statuses, failures)
    outcomes = Counter(json.loads(record.getMessage())["outcome"] for record in caplog.records
                       if record.name == "bot.http.webhook" and "webhook_event" in record.getMessage())
    assert statuses[400] and statuses[413] and outcomes["handled"] > WEBHOOK_BODIES / 10, (statuses, outcomes)
    assert not tracebacks(caplog.records), tracebacks(caplog.records)[:5]


def test_fuzzed_check_bodies_never_answer_5xx(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(SEED)
    statuses: Counter[int] = Counter()
    failures = []
    for raw in mutated_checks(CHECK_BODIES, rng):
        status = client.post("/api/v1/check", data=raw, content_type="application/json").status_code
        statuses[status] += 1
        if status >= 500 and len(failures) < 5:
            failures.append(raw[:300])
    assert not failures, (statuses, failures)
    assert statuses[200] > 0 and statuses[400] > 0 and statuses[413] > 0, statuses
    assert not tracebacks(caplog.records), tracebacks(caplog.records)[:5]

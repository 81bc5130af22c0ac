"""`python -m bench emulator`: CPU the LINE emulator spends per reply request, in its own process, and what its
schema check costs against the naive check (jsonschema alone), in the same run.

The emulator runs as the load benchmarks run it (`bench.line_process`). The reply tokens are issued first; then
N replies of each shape go over one keep-alive `requests.Session`, and the emulator process's user + system CPU
time (from /proc, so the load generator's own CPU is not in it) is read before and after each batch. The machine's
other load shows in CPU time too (caches, clock): compare runs made side by side."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import requests

from bench.stack import Process, wait_for_http
from bot.devtools.line_emulator.schema import problems, validate
from bot.flex.verdict import ClaimCard, build_verdict_message, build_verdict_quick_reply
from tests.conftest import CHANNEL_TOKEN
from tests.services import free_port

USER = "U" + "c" * 32
CARD = ClaimCard(id="afnc-0000000001", text="ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์",
                 verdict="fake", explanation="ธนาคารออมสินไม่มีนโยบายแจกเงินผ่านลิงก์ " * 4,
                 agency="ธนาคารออมสิน", published_on=date(2025, 10, 17),
                 url="https://www.antifakenewscenter.com/news/1")
SHAPES: dict[str, list[dict[str, Any]]] = {
    "one text message": [{"type": "text", "text": "สวัสดีค่ะ ส่งข้อความที่อยากให้ตรวจมาได้เลยค่ะ"}],
    "the bot's verdict card (flex bubble + quick reply)":
        [build_verdict_message(CARD, build_verdict_quick_reply(tip_id=12))],
}


WARM_UP = 20
REQUESTS = 1500
CHECKS = 300
ISSUE = "issuing a reply token (control API)"


def measure(requests_per_shape: int) -> dict[str, float]:
    """CPU ms of the emulator process per reply request, by shape, and per reply token issued."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        line = Process("line", [sys.executable, "-m", "bench.line_process", str(port), CHANNEL_TOKEN], os.environ,
                       Path(tmp) / "line.log").start()
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for_http(f"{base}/_emulator/deliveries?brief=1", process=line)
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {CHANNEL_TOKEN}"
            result = {}

            def issue() -> str:
                return str(session.post(f"{base}/_emulator/reply-tokens", timeout=10,
                                        json={"source": {"type": "user", "userId": USER}}).json()["replyToken"])

            for _ in range(WARM_UP):  # webhook.yml is parsed and compiled on first use, not per request
                issue()
            before = line.cpu()
            tokens = [issue() for _ in range(requests_per_shape * len(SHAPES))]
            result[ISSUE] = (line.cpu() - before) * 1000 / len(tokens)
            for index, (name, messages) in enumerate(SHAPES.items()):
                batch = tokens[index * requests_per_shape:(index + 1) * requests_per_shape]
                for token in batch[:WARM_UP]:  # the same for messaging-api.yml and the shape's first reply
                    session.post(f"{base}/v2/bot/message/reply", json={"replyToken": token, "messages": messages},
                                 timeout=10).raise_for_status()
                before = line.cpu()
                for token in batch[WARM_UP:]:
                    session.post(f"{base}/v2/bot/message/reply", json={"replyToken": token, "messages": messages},
                                 timeout=10).raise_for_status()
                result[name] = (line.cpu() - before) * 1000 / (requests_per_shape - WARM_UP)
            return result
        finally:
            line.stop()


def check_ms(check: Callable[[str, str, Any], object], body: dict[str, Any]) -> float:
    """CPU ms of one schema check of a reply body, in this process."""
    check("messaging-api", "ReplyMessageRequest", body)  # compiled on first use
    started = time.process_time()
    for _ in range(CHECKS):
        check("messaging-api", "ReplyMessageRequest", body)
    return (time.process_time() - started) * 1000 / CHECKS


def run() -> str:
    load_before = os.getloadavg()[0]
    per_request = measure(REQUESTS)
    rows = []
    for name, messages in SHAPES.items():
        body = {"replyToken": "0" * 32, "messages": messages}
        fast, naive = check_ms(validate, body), check_ms(problems, body)
        rows.append(f"| {name} | {per_request[name]:.2f} | {fast:.3f} | {naive:.2f} | {naive / fast:.0f}× |")
    load_after = os.getloadavg()[0]
    return "\n".join([
        "## LINE emulator CPU per request",
        "",
        f"`python -m bench emulator`: the emulator in its own process (as the load benchmarks run it), "
        f"{REQUESTS - WARM_UP:,} replies of each shape over one keep-alive session after {WARM_UP} warm-up ones; "
        "CPU of the emulator process from /proc. Then, in this process, the schema check of the same reply body: "
        "as shipped (jsonschema-rs decides, jsonschema words the problems of what it refuses) against the naive "
        "check (jsonschema alone, as before), same run, same bodies. Both give the same verdict on every body "
        "(tests/test_line_emulator_fast.py). The rest of a request's CPU is werkzeug's HTTP server. Shared 2-core "
        f"machine: 1-minute load average {load_before:.1f} at the start, {load_after:.1f} at the end.",
        "",
        "| reply body | emulator CPU per request, ms | schema check, ms | naive schema check, ms | ratio |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Issuing a reply token (control API, no schema check): {per_request[ISSUE]:.2f} ms of emulator CPU.",
    ])

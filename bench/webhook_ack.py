"""How fast the webhook acks while LINE hangs, against the naive bot that replies inside the request."""
from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import make_server

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, sign, text_event, user_source
from bot.runtime.services import current_services
from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN, make_app

LINE_LATENCY_SECONDS = 10.0
OUR_REQUESTS = 30
NAIVE_REQUESTS = 3
"""The naive path waits the full LINE latency each time, so a few samples are enough."""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run() -> str:
    user = "U" + "b" * 32
    with tempfile.TemporaryDirectory() as tmp, LineEmulator(channel_access_token=CHANNEL_TOKEN) as line:
        app = make_app(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", line.base_url,
                       LINE_TIMEOUT_SECONDS=15.0, LOG_LEVEL="WARNING")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/callback"
        line.fail_next(count=OUR_REQUESTS + NAIVE_REQUESTS, status=None, latency=LINE_LATENCY_SECONDS,
                       path_prefix="/v2/bot/message/reply")
        ours: list[float] = []
        for _ in range(OUR_REQUESTS):
            body = body_of(text_event(user, "ช่วยเหลือ", line.issue_reply_token(user_source(user))))
            started = time.perf_counter()
            response = requests.post(url, data=body, headers={"X-Line-Signature": sign(body, CHANNEL_SECRET),
                                                             "Content-Type": "application/json"}, timeout=30)
            ours.append(time.perf_counter() - started)
            assert response.status_code == 200
        naive: list[float] = []
        with app.app_context():
            client = current_services().line
            for _ in range(NAIVE_REQUESTS):
                token = line.issue_reply_token(user_source(user))
                started = time.perf_counter()
                client.reply(token, [{"type": "text", "text": "ตอบทันทีในคำขอ"}])
                naive.append(time.perf_counter() - started)
        line.wait_for_deliveries(OUR_REQUESTS + NAIVE_REQUESTS, timeout=LINE_LATENCY_SECONDS * 4, user_id=user)
        server.shutdown()
    ours_median, naive_median = statistics.median(ours), statistics.median(naive)
    return "\n".join([
        "## Webhook ack while LINE hangs",
        "",
        f"Every reply call to the emulator hangs {LINE_LATENCY_SECONDS:.0f} s. The webhook is served over real HTTP "
        "(werkzeug, SQLite, in-process queue); the naive bot calls `reply` inside the request.",
        "",
        "| path | requests | median ack | p95 ack | max ack |",
        "|---|---|---|---|---|",
        f"| ChuayCheck (reply through the queue) | {OUR_REQUESTS} | {ours_median * 1000:.1f} ms | "
        f"{_percentile(ours, 0.95) * 1000:.1f} ms | {max(ours) * 1000:.1f} ms |",
        f"| naive (reply inside the request) | {NAIVE_REQUESTS} | {naive_median * 1000:.0f} ms | "
        f"{_percentile(naive, 0.95) * 1000:.0f} ms | {max(naive) * 1000:.0f} ms |",
        "",
        f"Ratio (naive median / ours): **{naive_median / ours_median:.0f}×**. "
        f"All {OUR_REQUESTS + NAIVE_REQUESTS} replies were delivered once LINE answered.",
    ])

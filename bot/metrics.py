"""Prometheus metrics. Defined once per process; `/metrics` exposes the default registry."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

WEBHOOK_EVENTS = Counter("chuaycheck_webhook_events_total", "Webhook events received", ["type", "outcome"])
HANDLER_LATENCY = Histogram("chuaycheck_handler_seconds", "Time spent handling one event", ["handler"],
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
LINE_API_CALLS = Counter("chuaycheck_line_api_calls_total", "Calls to the LINE API", ["operation", "status"])
QUEUE_DEPTH = Gauge("chuaycheck_queue_depth", "Jobs waiting in the queue", multiprocess_mode="mostrecent")
REPLY_PATHS = Counter("chuaycheck_reply_paths_total", "Replies handed to the web process's pool or to the queue",
                      ["path"])
REPLY_DELAY = Histogram("chuaycheck_reply_delay_seconds", "From the event's timestamp to LINE accepting its answer",
                        ["kind"], buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0))

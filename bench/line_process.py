"""`python -m bench.line_process PORT TOKEN`: the LINE emulator as a process of its own, until killed.

Load benchmarks run it apart from the bot and from the load generator, so its CPU is not theirs; they read what
it accepted through its control API (`/_emulator/deliveries?brief=1`)."""
from __future__ import annotations

import signal
import sys
import threading

from bot.devtools.line_emulator import LineEmulator


def main(port: int, token: str) -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with LineEmulator(channel_access_token=token, port=port):
        stopped.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])

"""Time as the graph cache sees it: the real clock, or one tests move by hand."""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["Clock", "MonotonicClock"]


class Clock(Protocol):
    """Time as the cache sees it; tests inject one they move by hand."""

    def now(self) -> float: ...

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Wait ``seconds``, or less if ``wake`` is set (the cache is closing)."""


class MonotonicClock:
    """The real clock: ``time.monotonic`` and an interruptible wait."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        wake.wait(seconds)

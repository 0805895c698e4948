"""A one-line progress report on stderr: documents done, documents/s, and an ETA when the input size is known."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO

REDRAW_SECONDS = 0.25


def _clock_text(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class Progress:
    """Redraws one status line at most four times a second; `note` prints a message above it."""

    def __init__(
        self,
        stream: IO[str],
        *,
        label: str,
        total_bytes: int | None = None,
        done_bytes: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.stream, self.label, self.clock = stream, label, clock
        self.total = total_bytes
        self.before = done_bytes  # input done by an earlier, interrupted run
        self.docs = 0
        self.bytes = 0
        self.started = clock()
        self.drawn = 0.0
        self.width = 0

    def start(self, total_bytes: int | None, done_bytes: int) -> None:
        """The input's size (None when unknown) and what an earlier, interrupted run had done."""
        self.total, self.before = total_bytes, done_bytes
        self.started = self.clock()

    def update(self, docs: int, size: int) -> None:
        """Count `docs` more documents over `size` more input bytes; redraw if it is time."""
        self.docs += docs
        self.bytes += size
        now = self.clock()
        if now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self._draw(self.line(now))

    def line(self, now: float | None = None) -> str:
        """The status line: 'cleaning: 1,234 docs, 456 docs/s, 37%, ETA 0:01:05'."""
        elapsed = max((self.clock() if now is None else now) - self.started, 1e-9)
        text = f"{self.label}: {self.docs:,} docs, {self.docs / elapsed:,.0f} docs/s"
        if self.total:
            done = self.before + self.bytes
            share = min(done / self.total, 1.0)
            text += f", {100 * share:.0f}%"
            if self.bytes:
                remaining = max(self.total - done, 0) * elapsed / self.bytes
                text += f", ETA {_clock_text(remaining)}"
        return text

    def note(self, message: str) -> None:
        """Print a message on its own line, then the status line again."""
        self._clear()
        self.stream.write(message + "\n")
        self.drawn = 0.0

    def close(self) -> None:
        """Leave the final status on its line."""
        self._draw(self.line())
        self.stream.write("\n")
        self.stream.flush()

    def _clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.width = 0

    def _draw(self, text: str) -> None:
        self._clear()
        self.stream.write(text)
        self.stream.flush()
        self.width = len(text)

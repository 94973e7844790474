"""A progress bar for long ingests and builds: one line on stderr, redrawn in place.

Drawn only when the stream is a terminal: in CI, in tests and in pipes nothing is written
(the caller's one-line summary is the only output there). Redrawn at most every
``interval`` seconds so a 10,000-step loop costs nothing measurable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24


def is_terminal(stream: TextIO | None) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


class Progress:
    """``label [#####.....] done/total`` on ``stream``; ``stage`` switches to the next step."""

    def __init__(
        self,
        stream: TextIO | None,
        label: str = "",
        total: int = 0,
        *,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.active = is_terminal(stream)
        self.interval = interval
        self.clock = clock
        self.label = label
        self.total = total
        self.done = 0
        self._drawn_at = float("-inf")
        self._width = 0  # characters on the line now, to erase them
        if self.active and label:
            self._draw()

    def stage(self, label: str, total: int = 0) -> None:
        """A new step: its own label and count (total 0: no bar, the label only)."""
        self.label, self.total, self.done = label, total, 0
        self._draw()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.active and self.clock() - self._drawn_at >= self.interval:
            self._draw()

    def close(self) -> None:
        """Erase the line (the summary that follows is printed by the caller)."""
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def line(self) -> str:
        if self.total <= 0:
            return f"{self.label} ..."
        share = min(1.0, self.done / self.total)
        filled = int(share * BAR_WIDTH)
        return f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done:,}/{self.total:,}"

    def _draw(self) -> None:
        if not self.active:
            return
        text = self.line()
        pad = " " * max(0, self._width - len(text))
        self.stream.write("\r" + text + pad)
        self.stream.flush()
        self._width = len(text)
        self._drawn_at = self.clock()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def summary(verb: str, papers: int, pages: int | None, seconds: float, detail: str = "") -> str:
    """The one line printed at the end of a run: ``built 9,877 papers, 10,512 pages in 41.2 s``."""
    counts = f"{papers:,} papers" + (f", {pages:,} pages" if pages is not None else "")
    return f"{verb} {counts} in {seconds:.1f} s" + (f" ({detail})" if detail else "")


__all__ = ["Progress", "is_terminal", "summary"]

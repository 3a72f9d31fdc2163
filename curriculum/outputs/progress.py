"""Progress of a long stage, so minutes of rendering never look like a hang."""

from __future__ import annotations

import time
from collections.abc import Callable


class Progress:
    """Reports "what: N of M done" at most every ``every`` seconds, and once at the end."""

    def __init__(self, total: int, what: str, log: Callable[[str], None] | None, every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.total, self.what, self.log, self.every, self.clock = total, what, log, every, clock
        self.done = 0
        self._last = clock()

    def step(self) -> None:
        self.done += 1
        now = self.clock()
        if self.log and (self.done == self.total or now - self._last >= self.every):
            self._last = now
            self.log(f"{self.what}: {self.done} of {self.total} done")

"""Run an output family's jobs in a fork-based process pool, or in this process when there are few.

Each worker runs ``init(*initargs)`` once (fonts, stylesheets, templates), then ``work(job)`` per job.
The biggest jobs start first, so the workers finish together. A worker that dies is reported as a
failed job (never a hang). Below ``in_process_below`` jobs the pool's start-up costs more than it
saves, so the jobs run here, after one ``init``.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol, TypeVar


class Weighted(Protocol):
    @property
    def weight(self) -> int: ...


J = TypeVar("J", bound=Weighted)
R = TypeVar("R")


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                                  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def run_all(jobs: Iterable[J], init: Callable[..., None], initargs: Sequence, work: Callable[[J], R],
            failed: Callable[[J, str], R], workers: int = 0, in_process_below: int = 2) -> Iterator[R]:
    """Yield ``work(job)`` for every job, as each finishes. ``workers`` 0 means one per core."""
    ordered = sorted(jobs, key=lambda job: -job.weight)
    if not ordered:
        return
    count = min(workers or cpu_count(), len(ordered))
    if count <= 1 or len(ordered) < in_process_below:
        init(*initargs)
        for job in ordered:
            yield work(job)
        return
    # fork is fast and shares the imported modules; it is only safe while this is the only thread.
    context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")
    with ProcessPoolExecutor(count, mp_context=context, initializer=init, initargs=tuple(initargs)) as pool:
        futures = {pool.submit(work, job): job for job in ordered}      # submitted biggest first
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as error:       # a worker died (e.g. out of memory): report, never hang
                yield failed(job, f"the worker stopped: {type(error).__name__}: {error}")

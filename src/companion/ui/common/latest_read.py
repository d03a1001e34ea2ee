"""One background read of which only the latest answer counts: asking again drops the one under way."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from companion.ui.common.worker import DbWorker, Failure


class LatestRead:
    """Reads on the database thread for a view that shows one thing at a time (a client's section): a new
    ask cancels the read under way, and an answer or failure of an older ask never reaches the view,
    so a fast click through clients never shows one client's data under another's name."""

    def __init__(
        self,
        worker: DbWorker,
        on_done: Callable[[Any], None],
        on_failed: Callable[[Failure], None],
    ):
        self._worker = worker
        self._on_done = on_done
        self._on_failed = on_failed
        self._ticket: int | None = None
        self._asked = 0

    @property
    def busy(self) -> bool:
        """True while an answer is awaited."""
        return self._ticket is not None

    def ask(self, job: Callable[[Any], Any]) -> None:
        if self._ticket is not None:
            self._worker.cancel(self._ticket)
        self._asked += 1
        self._ticket = self._worker.submit(
            job, partial(self._answered, self._asked), partial(self._refused, self._asked)
        )

    def _answered(self, asked: int, result: Any) -> None:
        if asked == self._asked:
            self._ticket = None
            self._on_done(result)

    def _refused(self, asked: int, failure: Failure) -> None:
        if asked == self._asked:
            self._ticket = None
            self._on_failed(failure)

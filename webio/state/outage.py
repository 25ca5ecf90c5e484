"""Log a backend outage once, not once per failed call.

While Redis is down every store call fails; a busy server would write thousands of
identical tracebacks. :class:`OutageLog` logs the first failure as an error, the
following ones at debug level, and one warning when the backend answers again.
"""
from __future__ import annotations

import logging
import threading

logger = logging.getLogger("webio.state")


class OutageLog:
    """Track whether one backend is down and log each change of state once.

    Thread-safe: the SQLite backend reports from its database thread.
    """

    def __init__(self, what: str, log: logging.Logger = logger) -> None:
        self.what = what
        self._log = log
        self._lock = threading.Lock()
        self.down = False

    def failure(self, exc: BaseException) -> None:
        """Record a failed call; log it as an error only if the backend was up."""
        with self._lock:
            first = not self.down
            self.down = True
        if first:
            self._log.error(
                "%s is unavailable: %s (further failures are not logged until it recovers)",
                self.what,
                exc,
            )
        else:
            self._log.debug("%s still unavailable: %s", self.what, exc)

    def success(self) -> None:
        """Record a call that worked; log the recovery if the backend was down."""
        if not self.down:
            return
        with self._lock:
            recovered = self.down
            self.down = False
        if recovered:
            self._log.warning("%s is available again", self.what)

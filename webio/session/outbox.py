"""A session's numbered commands on their way to the browser (no I/O, no locks).

Each command gets the next sequence number when it is queued. The writer takes
batches of up to ``max_frame_commands`` queued commands, encodes each once into a
*frame* and hands the frame back to be kept. A
frame stays in the outbox until the client acknowledges its last ``seq``, so after a
reconnect the frames the client has not confirmed can be sent again; the client drops
the commands it already applied.

The outbox is bounded. Unacknowledged frames past ``max_unacked_bytes`` are dropped
oldest first; a client that reconnects from before them gets a ``snapshot`` of the
page instead (:meth:`replay_after` returns None). Unsent commands past
``max_pending`` (nobody is reading) are dropped all at once and ``snapshot_due`` is
set, so the writer sends one snapshot instead of the lost history.

The owner (the session) serialises all calls.
"""
from __future__ import annotations

from typing import NamedTuple

from webio.protocol import Command

__all__ = ["Outbox", "Frame"]


class Frame(NamedTuple):
    """Commands ``first_seq``..``last_seq`` encoded as one text frame."""

    first_seq: int
    last_seq: int
    text: str


class Outbox:
    """Sequence numbers, unsent commands and unacknowledged frames of one session."""

    def __init__(
        self,
        *,
        max_pending: int = 200_000,
        max_unacked_bytes: int = 32 * 1024 * 1024,
        max_frame_commands: int = 2_000,
    ) -> None:
        self.max_pending = max_pending
        self.max_unacked_bytes = max_unacked_bytes
        self.max_frame_commands = max_frame_commands
        self.last_seq = 0
        self.acked_seq = 0
        # Lists, not deques: an idle session's empty deque costs 600 bytes, a list 56;
        # both are consumed a frame at a time, so the front deletions stay cheap.
        self._pending: list[Command] = []
        self._unacked: list[Frame] = []
        self._unacked_bytes = 0
        self._lost_upto = 0
        self.snapshot_due = False

    def push(self, command: Command) -> int:
        """Number ``command`` and queue it; returns its ``seq``.

        While a snapshot is due nothing is queued: the snapshot will include it.
        """
        self.last_seq += 1
        command["seq"] = self.last_seq
        if self.snapshot_due:
            return self.last_seq
        self._pending.append(command)
        if len(self._pending) > self.max_pending:
            self._pending.clear()
            self._lost_upto = self.last_seq
            self.snapshot_due = True
        return self.last_seq

    @property
    def has_pending(self) -> bool:
        """Whether commands wait to be framed and written."""
        return bool(self._pending)

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def take_batch(self) -> list[Command]:
        """Remove the next batch of unsent commands (at most ``max_frame_commands``).

        The owner encodes the batch (without holding the lock that producers need)
        and passes the text to :meth:`keep_frame` before it takes the next batch.
        """
        batch = self._pending[:self.max_frame_commands]
        del self._pending[:self.max_frame_commands]
        return batch

    def keep_frame(self, batch: list[Command], text: str) -> Frame:
        """Keep ``text``, the encoded ``batch``, until the client acknowledges it."""
        frame = Frame(batch[0]["seq"], batch[-1]["seq"], text)
        self._unacked.append(frame)
        self._unacked_bytes += len(text)
        while self._unacked_bytes > self.max_unacked_bytes and len(self._unacked) > 1:
            dropped = self._unacked.pop(0)
            self._unacked_bytes -= len(dropped.text)
            self._lost_upto = max(self._lost_upto, dropped.last_seq)
        return frame

    def ack(self, seq: int) -> None:
        """The client has applied every command up to ``seq``."""
        if seq > self.last_seq:
            return
        self.acked_seq = max(self.acked_seq, seq)
        while self._unacked and self._unacked[0].last_seq <= seq:
            self._unacked_bytes -= len(self._unacked.pop(0).text)

    def replay_after(self, seq: int) -> list[Frame] | None:
        """Frames a client that applied up to ``seq`` still needs, or None if lost.

        Acknowledged frames are forgotten, so a client from before the last ack (a
        reload, a second browser) gets None and needs a snapshot. Commands not framed
        yet are not included; the writer sends them next.
        """
        if seq > self.last_seq or seq < max(self._lost_upto, self.acked_seq):
            return None
        self.ack(seq)
        return list(self._unacked)

    def reset_to_snapshot(self) -> None:
        """Forget all history: a snapshot taken now stands for everything up to ``last_seq``."""
        self._pending.clear()
        self._unacked.clear()
        self._unacked_bytes = 0
        self._lost_upto = self.last_seq
        self.snapshot_due = False

"""Events on their way in: one place that refuses bad input and hands the rest on.

Every transport ends here: WebSocket frames, POSTed batches, PyWebIO's HTTP pushes.
A malformed event is refused with a notice to the visitor and costs nothing else; an
HTTP body over ``max_payload_size`` is answered 413 and the visitor is told.
"""
from __future__ import annotations

from collections.abc import Iterable

from webio.exceptions import ProtocolError
from webio.platform.adaptor.responses import Response, text_response
from webio.protocol import Event, decode_event_items
from webio.session.base import Session

__all__ = ["decode_body", "deliver"]


def deliver(session: Session, events: Iterable[Event | ProtocolError]) -> None:
    """Hand decoded events to ``session`` in order; a malformed one is refused with a notice."""
    for event in events:
        if isinstance(event, ProtocolError):
            session.refuse(f"a malformed message ({event})")
        else:
            session.dispatch(event)


def decode_body(session: Session | None, body: bytes, *, oversized: bool,
                limit: int) -> list[Event | ProtocolError] | Response:
    """The events of an HTTP body, or the response that refuses it (telling the visitor).

    :param oversized: the adapter did not read a body it knew to be over ``limit``
    """
    too_large = oversized or len(body) > limit
    try:
        if too_large:
            raise ProtocolError(f"a message over the limit of {limit} bytes")
        return decode_event_items(body, limit)
    except ProtocolError as exc:
        if session is not None:
            session.refuse(str(exc))
        return text_response(413 if too_large else 400, str(exc))

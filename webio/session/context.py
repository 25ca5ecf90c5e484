"""The current session, carried by a ``ContextVar``.

Each session runs its code (``main``, callbacks, registered threads) inside a context
where :data:`current_session` is set, so helpers such as ``put_text`` find their
session without any lookup by thread id.
"""
from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import TYPE_CHECKING

from webio.exceptions import SessionNotFoundException

if TYPE_CHECKING:
    from webio.session.base import Session

current_session: ContextVar[Session] = ContextVar("webio_current_session")

_NO_SESSION_HELP = (
    "No webio session is running here. Call webio functions inside the app function "
    "served by start_server(main) (or in a plain script run with `python script.py`, "
    "which starts script mode). From a thread you started yourself, call "
    "webio.session.register_thread(thread) before thread.start()."
)


def get_current_session() -> Session:
    """Return the session whose code is running, starting script mode when allowed.

    :raises SessionNotFoundException: when called outside any session, with a message
        that says how to fix it.
    """
    try:
        return current_session.get()
    except LookupError:
        pass
    if threading.current_thread() is threading.main_thread():
        from webio.session.script_mode import start_script_mode

        session = start_script_mode()
        if session is not None:
            return session
    raise SessionNotFoundException(_NO_SESSION_HELP)

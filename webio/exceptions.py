"""Every exception webio raises, in one place.

Hierarchy::

    WebIOError                      base of everything below
    ├── SessionException            something about the current session is wrong
    │   ├── SessionClosedException  the session ended (visitor left, timeout, close())
    │   ├── SessionNotFoundException a webio call was made outside any session
    │   └── SessionKindError        a helper needs the other kind of session
    ├── ProtocolError               a frame from a browser broke the wire protocol
    └── PinNotFoundError            strict ``pin`` read of a widget not on the page

``SessionClosedException`` derives from ``Exception`` as in PyWebIO, so an app's
``except Exception:`` around a blocking call *does* swallow it. webio only uses it to
unwind the app's code after the session ended; swallowing it is harmless (every later
webio call raises it again) and a ``main`` that ends with it is not logged as an error.

A ``StateBackendError`` is meant to reach the server's logs: the backend already logs
the first failure of an outage (and only that one), so callers that can carry on
without the store may catch it and continue quietly.
"""
from __future__ import annotations


class WebIOError(Exception):
    """Base class of all webio errors."""


class SessionException(WebIOError):
    """Base class of errors about a session."""


class SessionClosedException(SessionException):
    """The session has ended; no more output can be sent and no input will arrive."""


class SessionNotFoundException(SessionException):
    """A webio function that needs a session was called where none is running."""


class SessionKindError(SessionException, TypeError):
    """A helper was called in a session of the kind it cannot work in.

    For example ``run_async`` in a thread-based session, or ``hold()`` from a thread
    that was not registered with ``register_thread``.
    """


class ProtocolError(WebIOError, ValueError):
    """A frame or event from a client does not follow webio's wire protocol."""


class PinNotFoundError(WebIOError, AssertionError, LookupError):
    """``pin.name`` in strict mode (``pin.use_strict()``) named a widget not on the page.

    It is an ``AssertionError`` because PyWebIO raises that in the same case.
    """


class StateError(WebIOError):
    """Base class of all errors of the state layer."""


class StateBackendError(StateError):
    """The state backend (SQLite file, Redis server) could not do what was asked.

    The message names the Redis URL (password hidden) or the SQLite path, so an
    operator can tell at once which store is at fault.
    """


class BackendImportError(StateBackendError, ImportError):
    """The backend that was chosen needs a package that is not installed.

    The message says how to install it, e.g. ``pip install 'webio[redis]'``.
    """


class SessionExistsError(StateError, ValueError):
    """A session record with that id exists already and has not expired."""


class SubscriptionClosed(StateError):
    """The event-bus subscription was closed; no more messages will arrive."""


class CallbackError(StateError):
    """Base class of the callback registry's refusals."""


class UnknownCallbackError(CallbackError, LookupError):
    """No callback is registered under that id (never was, or was unregistered)."""


class ForeignCallbackError(CallbackError):
    """The callback id belongs to a session other than the one that named it.

    Raised when a browser sends an event naming another visitor's callback: such an
    event must be refused, never run.
    """

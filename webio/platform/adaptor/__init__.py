"""Transport-neutral connection logic shared by every web framework adapter.

Nothing here imports Tornado, Flask or aiohttp. Adapters translate their requests
into the calls of this package and their sockets into :class:`~webio.session.port.Connection`.

=================  ==============================================================
``hub``            the sessions of a server, options, origin checks, ``info``
``apps``           the ``applications`` argument, the index app
``origin``         origin rules and trusted proxies
``records``        sessions kept in step with ``webio.state``
``page``           the page template, its configuration, the client's files
``ws``             a session's client over any port (WebSocket, SSE, poll, …)
``inbound``        events on their way in: size limits, validation, refusals
``http``           everything HTTP at one route (:class:`~.http.HttpEndpoint`)
``sse``            Server-Sent Events, ``id``/``Last-Event-ID``, heartbeats
``buffered``       frames kept for clients that fetch them by request
``longpoll``       long-polling
``legacy_http``    PyWebIO's HTTP exchange
``bridge``         the event loop under WSGI, and the one door into it
``event_loop``     asyncio's loop or uvloop, for every server
``responses``      the page, its manifest, static files
``serving``        sockets, the printed address, SIGTERM
=================  ==============================================================
"""

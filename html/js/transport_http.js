/**
 * The HTTP transports, for servers and networks without WebSockets (Flask,
 * proxies that block upgrades).
 *
 * `"sse"`: commands arrive as Server-Sent Events on one long GET
 * (`?app=…&session=…&transport=sse`); `"poll"`: by long-polling
 * (`…&transport=poll`, each answer a JSON array of frames, the next poll
 * carrying `last_seq`). Both send events by POST
 * (`?app=…&session=ID&token=T`, body a JSON array), one request at a time so
 * the server gets them in order. The session id and token come from the
 * server's `set_session_id` / `set_reconnect_token`, which open every
 * connection; a transport reports `onOpen` only once it has them, so the
 * session never sends an event that could not be delivered.
 *
 * A new event stream must deliver its first frame within
 * {@link FIRST_FRAME_MS}; one that does not is behind a proxy that holds
 * streams back, and the transport fails so that `pickTransport` falls back to
 * long-polling. Reconnects are the session's (with backoff and `last_seq`):
 * an `EventSource` is closed at its first error instead of retrying by itself.
 * @module webio/transport_http
 */
import { commandsOf, connectQuery, decodeFrame, encodeEvent, registerTransport } from 'webio/transport.js';

/**
 * @typedef {import('webio/transport.js').Command} Command
 * @typedef {import('webio/transport.js').ClientEvent} ClientEvent
 * @typedef {import('webio/transport.js').ConnectParams} ConnectParams
 * @typedef {import('webio/transport.js').TransportCallbacks} TransportCallbacks
 * @typedef {import('webio/transport.js').CloseInfo} CloseInfo
 */

/** Time the first frame of a stream has to arrive, in ms. */
const FIRST_FRAME_MS = 5000;
/** Time a poll may take before the client gives up on it, in ms (the server answers within 25 s). */
const POLL_TIMEOUT_MS = 40000;

/**
 * A URL on the page's own path (where webio is mounted).
 * @param {string} query without the leading `?`
 * @returns {string}
 */
function pageURL(query) {
  return `${location.pathname}?${query}`;
}

/**
 * Sends events by POST in order, one request at a time; events that come
 * meanwhile travel together in the next one, and a run of acks shrinks to the
 * last. A request that fails calls `onFail` (the transport is then closed and
 * the session reconnects).
 */
class EventPoster {
  /**
   * @param {string} app
   * @param {(info: CloseInfo) => void} onFail
   */
  constructor(app, onFail) {
    this.app = app;
    this.onFail = onFail;
    /** @type {string | null} */
    this.sessionId = null;
    /** @type {string | null} */
    this.token = null;
    /** @type {ClientEvent[]} */
    this.queue = [];
    this.busy = false;
    this.stopped = false;
  }

  /**
   * Learn the session id and token from the commands of a frame.
   * @param {Command[]} commands
   */
  learn(commands) {
    for (const command of commands) {
      if (command.command === 'set_session_id') this.sessionId = String(command.spec);
      if (command.command === 'set_reconnect_token' && command.spec && typeof command.spec.token === 'string') {
        this.token = command.spec.token;
      }
    }
  }

  /** @param {ClientEvent} event */
  push(event) {
    const last = this.queue[this.queue.length - 1];
    if (event.event === 'ack' && last && last.event === 'ack') this.queue[this.queue.length - 1] = event;
    else this.queue.push(event);
    this._next();
  }

  async _next() {
    if (this.busy || this.stopped || !this.queue.length || !this.sessionId) return;
    this.busy = true;
    const batch = this.queue;
    this.queue = [];
    const query = new URLSearchParams({ app: this.app, session: this.sessionId });
    if (this.token) query.set('token', this.token);
    try {
      const response = await fetch(pageURL(query.toString()), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: `[${batch.map(encodeEvent).join(',')}]`,
        cache: 'no-store',
        credentials: 'same-origin',
      });
      // 400 and 413: the server refused these events and told the visitor; go on.
      if (!response.ok && response.status !== 400 && response.status !== 413) {
        this.onFail({ opened: true, code: response.status, reason: 'the server refused an event' });
      }
    } catch (err) {
      this.onFail({ opened: true, reason: `an event could not be sent: ${err}` });
    }
    this.busy = false;
    this._next();
  }
}

/**
 * What both HTTP transports share: callbacks, the poster, opening and closing.
 */
class HttpTransport {
  /**
   * @param {ConnectParams} params
   * @param {TransportCallbacks} callbacks
   */
  constructor(params, callbacks) {
    this.params = params;
    this.callbacks = callbacks;
    this.poster = new EventPoster(params.app, (info) => this._closed(info));
    if (params.session !== 'NEW') {
      this.poster.sessionId = params.session;
      this.poster.token = params.token || null;
    }
    this.opened = false;
    this.closed = false;
  }

  /**
   * Hand over the commands of one frame (opening the transport at the first).
   * @param {Command[]} commands
   */
  _deliver(commands) {
    if (this.closed) return;
    this.poster.learn(commands);
    if (!this.opened) {
      this.opened = true;
      this._opened();
      this.callbacks.onOpen();
    }
    if (commands.length && !this.closed) this.callbacks.onFrame(commands);
  }

  /** Called once, when the first frame arrived. */
  _opened() {}

  /**
   * @param {ClientEvent} event
   * @returns {boolean}
   */
  send(event) {
    if (this.closed || !this.opened) return false;
    this.poster.push(event);
    return true;
  }

  close() {
    this.closed = true;
    this.poster.stopped = true;
    this._stop();
  }

  /** Release what the transport holds (stream, request). */
  _stop() {}

  /** @param {{code?: number, reason?: string}} info */
  _closed(info) {
    if (this.closed) return;
    this.close();
    this.callbacks.onClose({ opened: this.opened, ...info });
  }
}

/** Commands by Server-Sent Events, events by POST. */
export class SseTransport extends HttpTransport {
  connect() {
    let source;
    try {
      source = new EventSource(pageURL(`${connectQuery(this.params)}&transport=sse`));
    } catch (err) {
      console.warn('webio: cannot open an event stream', err);
      setTimeout(() => this._closed({}), 0);
      return;
    }
    this.source = source;
    this.timer = setTimeout(() => this._closed({ reason: 'the event stream brought nothing' }), FIRST_FRAME_MS);
    source.onmessage = (event) => this._deliver(decodeFrame(String(event.data)));
    // An error ends this attempt, whether the browser would retry or not.
    source.onerror = () => this._closed({ reason: 'the event stream failed' });
  }

  _opened() {
    clearTimeout(this.timer);
  }

  _stop() {
    clearTimeout(this.timer);
    if (this.source) this.source.close();
  }
}

/** Commands by long-polling, events by POST. */
export class PollTransport extends HttpTransport {
  /**
   * @param {ConnectParams} params
   * @param {TransportCallbacks} callbacks
   */
  constructor(params, callbacks) {
    super(params, callbacks);
    this.lastSeq = typeof params.lastSeq === 'number' ? params.lastSeq : 0;
    /** @type {AbortController | null} */
    this.controller = null;
  }

  connect() {
    this._poll();
  }

  async _poll() {
    while (!this.closed) {
      const { sessionId, token } = this.poster;
      /** @type {ConnectParams} */
      const params = sessionId ? { app: this.params.app, session: sessionId, token, lastSeq: this.lastSeq } : this.params;
      const controller = new AbortController();
      this.controller = controller;
      const timer = setTimeout(() => controller.abort(), POLL_TIMEOUT_MS);
      let frames;
      try {
        const response = await fetch(pageURL(`${connectQuery(params)}&transport=poll`), {
          cache: 'no-store',
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (!response.ok) return this._closed({ code: response.status, reason: 'a poll was refused' });
        frames = await response.json();
      } catch (err) {
        return this._closed({ reason: `a poll failed: ${err}` });
      } finally {
        clearTimeout(timer);
      }
      if (!Array.isArray(frames)) return this._closed({ reason: 'a poll answer is not a list of frames' });
      for (const frame of frames) {
        const commands = commandsOf(frame);
        for (const command of commands) {
          if (typeof command.seq === 'number' && command.seq > this.lastSeq) this.lastSeq = command.seq;
        }
        this._deliver(commands);
        if (this.closed) return;
      }
    }
  }

  _stop() {
    if (this.controller) this.controller.abort();
  }
}

registerTransport('sse', (params, callbacks) => new SseTransport(params, callbacks));
registerTransport('poll', (params, callbacks) => new PollTransport(params, callbacks));

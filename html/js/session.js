/**
 * The connection to one server session: state, ids, acks and reconnects.
 *
 * States: `connecting` → `open` ⇄ `reconnecting`, ending in `ended` (the server
 * sent `close_session`) or `lost` (the connection dropped and the session cannot
 * be resumed: reconnect is off, or the server was unreachable for longer than
 * its `reconnect_timeout`). Owns the {@link Sequencer}; registers
 * `set_session_id`, `set_reconnect_token` and `close_session`.
 *
 * Resume: after an unexpected close the session reconnects with exponential
 * backoff and jitter, sending `session`, `token` and `last_seq`; the server
 * replays what the page has not applied, or sends a snapshot. Events the
 * visitor triggers while disconnected are queued and sent once reconnected.
 *
 * Acks wait up to {@link ACK_DELAY_MS} for an event to ride along with (its
 * `ack` field), so quick interaction costs the server no extra messages and a
 * burst of frames one ack per delay; when nothing is sent meanwhile, a plain `ack` event
 * goes out. A resume carries `last_seq`, so a new connection drops a waiting ack.
 * @module webio/session
 */
import { Backoff } from 'webio/backoff.js';
import { Sequencer } from 'webio/sequencer.js';
import { t } from 'webio/i18n.js';
import { encodeEvent } from 'webio/transport.js';

/** WebSocket close code of a server that refused a frame over its size limit. */
const MESSAGE_TOO_BIG = 1009;

/**
 * @typedef {import('webio/transport.js').Command} Command
 * @typedef {import('webio/transport.js').ClientEvent} ClientEvent
 * @typedef {import('webio/transport.js').TransportFactory} TransportFactory
 * @typedef {import('webio/transport.js').Transport} Transport
 * @typedef {import('webio/transport.js').ConnectParams} ConnectParams
 * @typedef {import('webio/dispatcher.js').Dispatcher} Dispatcher
 * @typedef {'idle'|'connecting'|'open'|'reconnecting'|'lost'|'ended'} SessionState
 * @typedef {{quiet?: boolean, reason?: string}} StateDetail
 */

/** Events kept while disconnected; older ones beyond this are dropped. */
const MAX_QUEUED_EVENTS = 200;
/** A connection that stays up this long resets the backoff. */
const STABLE_AFTER_MS = 5000;
/** How long an ack waits for an event to carry it before it is sent alone. */
export const ACK_DELAY_MS = 50;
/** Room kept under the server's message limit for an `ack` field riding along. */
const ACK_FIELD_BYTES = 32;

export class Session {
  /**
   * @param {Object} options
   * @param {string} options.app app name sent as `?app=`
   * @param {TransportFactory} options.transport makes one transport per attempt
   * @param {(command: Command) => void} options.apply runs one command (the dispatcher)
   * @param {(state: SessionState, detail: StateDetail) => void} [options.onState]
   * @param {Backoff} [options.backoff]
   * @param {Storage | null} [options.storage] where to keep the session id and token
   *   so that a reload of the page resumes the session; null (default) = a reload
   *   starts a new session, as in PyWebIO
   * @param {number} [options.maxNewAttempts] tries to open a NEW session before giving up
   * @param {number | null} [options.maxMessageBytes] the server's limit for one event:
   *   a larger one is refused here with a notice, since the server would close the
   *   connection for it and drop what was sent after it
   */
  constructor({ app, transport, apply, onState = () => {}, backoff = new Backoff(), storage = null, maxNewAttempts = 8,
    maxMessageBytes = null }) {
    this.app = app;
    this.factory = transport;
    this.apply = apply;
    this.onState = onState;
    this.backoff = backoff;
    this.storage = storage;
    this.maxNewAttempts = maxNewAttempts;
    this.maxMessageBytes = maxMessageBytes;
    /** @type {SessionState} */
    this.state = 'idle';
    /** @type {string | null} */
    this.sessionId = null;
    /** @type {string | null} */
    this.token = null;
    /** Seconds the server keeps a detached session, from `set_reconnect_token`. @type {number | null} */
    this.reconnectTimeout = null;
    /** @type {Transport | null} */
    this.transport = null;
    this.sequencer = new Sequencer({
      apply: (command) => this._apply(command),
      ack: (seq) => this._ackSoon(seq),
      onGap: () => this.resync(),
    });
    /** @type {ClientEvent[]} */
    this._queue = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this._timer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this._stableTimer = undefined;
    /** The `seq` applied but not acknowledged yet. @type {number | null} */
    this._ackDue = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this._ackTimer = undefined;
    /** @type {number | null} */
    this._droppedAt = null;
    this._failedNew = 0;
    this._unloading = false;
    this._fromStorage = false;
    this._storageKey = `webio-session:${location.pathname}:${app}`;
  }

  /** The `seq` of the last applied command. */
  get lastSeq() {
    return this.sequencer.lastSeq;
  }

  /** Whether the session is over for good (`ended` or `lost`). */
  get finished() {
    return this.state === 'ended' || this.state === 'lost';
  }

  /**
   * Register the connection commands on the dispatcher.
   * @param {Dispatcher} dispatcher
   */
  install(dispatcher) {
    dispatcher.register('set_session_id', (spec) => {
      this.sessionId = String(spec);
      this._store();
    });
    dispatcher.register('set_reconnect_token', (spec) => {
      if (spec && typeof spec === 'object') {
        if (typeof spec.token === 'string') this.token = spec.token;
        if (typeof spec.reconnect_timeout === 'number') this.reconnectTimeout = spec.reconnect_timeout;
        this._store();
      }
    });
    dispatcher.register('close_session', (spec) => {
      this.end(spec && typeof spec === 'object' ? spec.reason : undefined);
    });
  }

  /** Open the first connection. */
  start() {
    const stored = this._load();
    if (stored) {
      this.sessionId = stored.id;
      this.token = stored.token;
      this._fromStorage = true;
    }
    addEventListener('online', () => {
      if (this.state === 'reconnecting' && !this.transport) this._connect();
    });
    addEventListener('pagehide', () => {
      this._unloading = true;
      if (this.transport) this.transport.close();
      this.transport = null;
      clearTimeout(this._timer);
    });
    addEventListener('pageshow', (event) => {
      if (!event.persisted || this.finished) return;
      this._unloading = false;
      if (this.sessionId) this._connect();
      else this._lose('page restored without a session to resume');
    });
    this._setState('connecting');
    this._connect();
  }

  /**
   * Send an event to the server. While disconnected it is queued and sent
   * after the reconnect; once the session is over it is dropped.
   * @param {ClientEvent} event
   * @returns {boolean} whether it went out now
   */
  send(event) {
    if (this.finished) return false;
    if (this._tooLarge(event)) {
      this._noticeTooLarge();
      return false;
    }
    if (this.state === 'open' && this.transport) {
      const ack = this._ackDue;
      if (this.transport.send(ack === null ? event : { ...event, ack })) {
        this._dropAck();
        return true;
      }
    }
    if (this._queue.length >= MAX_QUEUED_EVENTS) this._queue.shift();
    this._queue.push(event);
    return false;
  }

  /**
   * Reconnect at once asking for everything after `last_seq` (called on a gap
   * in the sequence numbers). No banner unless that reconnect fails.
   * @returns {boolean} false when the session cannot be resumed
   */
  resync() {
    if (!this.sessionId || this.finished) return false;
    const transport = this.transport;
    this.transport = null;
    if (transport) transport.close();
    if (this._droppedAt === null) this._droppedAt = Date.now();
    this._setState('reconnecting', { quiet: true });
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._connect(), 0);
    return true;
  }

  /**
   * The session is over (`close_session`): close, never reconnect.
   * @param {string} [reason]
   */
  end(reason) {
    if (this.finished) return;
    this._finish('ended', reason);
  }

  /** @param {string} reason */
  _lose(reason) {
    if (this.finished) return;
    this._finish('lost', reason);
  }

  /**
   * @param {'ended'|'lost'} state
   * @param {string} [reason]
   */
  _finish(state, reason) {
    clearTimeout(this._timer);
    this._dropAck();
    clearTimeout(this._stableTimer);
    const transport = this.transport;
    this.transport = null;
    if (transport) transport.close();
    this._queue = [];
    this._forget();
    this._setState(state, { reason });
  }

  /** @returns {ConnectParams} */
  _params() {
    if (!this.sessionId) return { app: this.app, session: 'NEW' };
    return { app: this.app, session: this.sessionId, token: this.token, lastSeq: this.sequencer.lastSeq };
  }

  _connect() {
    clearTimeout(this._timer);
    this._dropAck();
    if (this.finished || this._unloading) return;
    /** @type {Transport} */
    const transport = this.factory(this._params(), {
      onOpen: () => this._onOpen(transport),
      onFrame: (commands) => this._onFrame(transport, commands),
      onClose: (info) => this._onClose(transport, info),
    });
    this.transport = transport;
    transport.connect();
  }

  /** @param {Transport} transport */
  _onOpen(transport) {
    if (transport !== this.transport) return;
    this._droppedAt = null;
    this._failedNew = 0;
    this._setState('open');
    clearTimeout(this._stableTimer);
    this._stableTimer = setTimeout(() => this.backoff.reset(), STABLE_AFTER_MS);
    const queued = this._queue;
    this._queue = [];
    for (const event of queued) this.send(event);
  }

  /**
   * @param {Transport} transport
   * @param {Command[]} commands
   */
  _onFrame(transport, commands) {
    if (transport !== this.transport || this.finished) return;
    this.sequencer.receive(commands);
  }

  /**
   * @param {Transport} transport
   * @param {import('webio/transport.js').CloseInfo} info
   */
  _onClose(transport, info) {
    if (transport !== this.transport) return;
    this.transport = null;
    clearTimeout(this._stableTimer);
    if (this.finished || this._unloading) return;
    if (info.code === MESSAGE_TOO_BIG) this._noticeTooLarge();
    if (!this.sessionId) {
      // Without a session id there is nothing to resume: a session that was
      // running is gone; a NEW session that never opened may be tried again.
      if (info.opened) return this._lose('connection closed and reconnect is off');
      this._failedNew += 1;
      if (this._failedNew > this.maxNewAttempts) return this._lose('cannot reach the server');
    }
    if (this._droppedAt === null) this._droppedAt = Date.now();
    if (this.reconnectTimeout !== null && Date.now() - this._droppedAt > this.reconnectTimeout * 1000) {
      return this._lose('the server no longer keeps this session');
    }
    this._setState('reconnecting');
    this._timer = setTimeout(() => this._connect(), this.backoff.next());
  }

  /** @param {Command} command */
  _apply(command) {
    if (this.finished) return;
    if (this._fromStorage) {
      if (command.command === 'close_session') {
        // The session kept from before the reload is gone: start a new one.
        this._restartNew();
        return;
      }
      this._fromStorage = false;
    }
    this.apply(command);
  }

  _restartNew() {
    this._fromStorage = false;
    this._forget();
    this.sessionId = null;
    this.token = null;
    this.sequencer.reset();
    const transport = this.transport;
    this.transport = null;
    if (transport) transport.close();
    this._connect();
  }

  /**
   * Whether `event` is over the server's limit (UTF-8 bytes of its JSON).
   * @param {ClientEvent} event
   */
  _tooLarge(event) {
    const limit = this.maxMessageBytes;
    if (limit === null) return false;
    const text = encodeEvent(event);
    // A UTF-16 unit is at most 3 bytes of UTF-8: most events need no encoding.
    if (text.length * 3 + ACK_FIELD_BYTES <= limit) return false;
    return new TextEncoder().encode(text).length + ACK_FIELD_BYTES > limit;
  }

  _noticeTooLarge() {
    this.apply({ command: 'notice', task_id: null, spec: { level: 'error', message: t('too_large') } });
  }

  /**
   * Acknowledge `seq` with the next event, or alone after {@link ACK_DELAY_MS}.
   * @param {number} seq
   */
  _ackSoon(seq) {
    this._ackDue = seq;
    if (this._ackTimer === undefined) this._ackTimer = setTimeout(() => this._ackNow(), ACK_DELAY_MS);
  }

  _ackNow() {
    const seq = this._ackDue;
    this._dropAck();
    if (seq !== null && this.state === 'open' && this.transport) {
      this.transport.send({ event: 'ack', task_id: null, data: { seq } });
    }
  }

  _dropAck() {
    clearTimeout(this._ackTimer);
    this._ackTimer = undefined;
    this._ackDue = null;
  }

  /**
   * @param {SessionState} state
   * @param {StateDetail} [detail]
   */
  _setState(state, detail = {}) {
    this.state = state;
    try {
      this.onState(state, detail);
    } catch (err) {
      console.error('webio: session state listener failed', err);
    }
  }

  /** @returns {{id: string, token: string | null} | null} */
  _load() {
    if (!this.storage) return null;
    try {
      const value = JSON.parse(this.storage.getItem(this._storageKey) || 'null');
      return value && typeof value.id === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  _store() {
    if (!this.storage || !this.sessionId) return;
    try {
      this.storage.setItem(this._storageKey, JSON.stringify({ id: this.sessionId, token: this.token }));
    } catch {
      /* storage full or denied: reloads start new sessions */
    }
  }

  _forget() {
    if (!this.storage) return;
    try {
      this.storage.removeItem(this._storageKey);
    } catch {
      /* ignore */
    }
  }
}

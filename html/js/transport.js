/**
 * Transports: how frames travel between the page and the server.
 *
 * A transport is a small object `{connect(), send(event), close()}` made by a
 * factory `(params, callbacks) => Transport`. It reports through three
 * callbacks: `onOpen()`, `onFrame(commands)` (a decoded frame, always an
 * array) and `onClose(info)` — called once, only for a close the client did not
 * ask for with `close()`. The session builds one transport per connection
 * attempt and does reconnects, sequencing and acks itself, so a transport only
 * moves frames. WebSocket is built in; Server-Sent Events (`"sse"`) and
 * long-polling (`"poll"`) register from `webio/transport_http.js` with
 * {@link registerTransport}. {@link pickTransport} falls back from one to the
 * next when a transport does not get through.
 * @module webio/transport
 */

/**
 * A server → client command.
 * @typedef {Object} Command
 * @property {string} command
 * @property {string | null} [task_id]
 * @property {any} [spec]
 * @property {number} [seq]
 */

/**
 * A client → server event.
 * @typedef {Object} ClientEvent
 * @property {string} event
 * @property {string | null} task_id
 * @property {any} data
 * @property {number} [ack] acknowledges commands up to this `seq`, as an `ack` event would
 */

/**
 * What a connection attempt asks for.
 * @typedef {Object} ConnectParams
 * @property {string} app app name
 * @property {string} session `"NEW"` or the session id to resume
 * @property {string | null} [token] reconnect token (resume only)
 * @property {number | null} [lastSeq] `seq` of the last applied command (resume only)
 */

/**
 * @typedef {Object} CloseInfo
 * @property {boolean} opened whether the connection had opened before it closed
 * @property {number} [code]
 * @property {string} [reason]
 */

/**
 * @typedef {Object} TransportCallbacks
 * @property {() => void} onOpen
 * @property {(commands: Command[]) => void} onFrame
 * @property {(info: CloseInfo) => void} onClose
 */

/**
 * @typedef {Object} Transport
 * @property {() => void} connect start connecting
 * @property {(event: ClientEvent) => boolean} send false when not open (the event is not sent)
 * @property {() => void} close close on purpose; no `onClose` follows
 */

/** @typedef {(params: ConnectParams, callbacks: TransportCallbacks) => Transport} TransportFactory */

/**
 * The query string of a connection: `app=…&session=NEW`, or to resume
 * `app=…&session=ID&token=T&last_seq=N`.
 * @param {ConnectParams} params
 * @returns {string} without the leading `?`
 */
export function connectQuery(params) {
  const query = new URLSearchParams();
  query.set('app', params.app);
  query.set('session', params.session);
  if (params.session !== 'NEW') {
    if (params.token) query.set('token', params.token);
    if (typeof params.lastSeq === 'number') query.set('last_seq', String(params.lastSeq));
  }
  return query.toString();
}

/**
 * Decode one server frame: one command object or a JSON array of them.
 * Malformed frames are logged and yield no command.
 * @param {string} text
 * @returns {Command[]}
 */
export function decodeFrame(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    console.warn('webio: ignoring a frame that is not JSON', err);
    return [];
  }
  return commandsOf(value);
}

/**
 * The commands of a decoded frame: one command object or an array of them.
 * Malformed items are logged and dropped.
 * @param {unknown} value
 * @returns {Command[]}
 */
export function commandsOf(value) {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item) => {
    const ok = item !== null && typeof item === 'object' && typeof item.command === 'string';
    if (!ok) console.warn('webio: ignoring a malformed command', item);
    return ok;
  });
}

/**
 * Encode one client event as a text frame.
 * @param {ClientEvent} event
 * @returns {string}
 */
export function encodeEvent(event) {
  return JSON.stringify(event);
}

/**
 * The WebSocket URL of a connection: same host and path as the page.
 * @param {ConnectParams} params
 * @returns {string}
 */
export function webSocketURL(params) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${location.pathname}?${connectQuery(params)}`;
}

/** @implements {Transport} */
export class WebSocketTransport {
  /**
   * @param {ConnectParams} params
   * @param {TransportCallbacks} callbacks
   * @param {string} [url] defaults to {@link webSocketURL}
   */
  constructor(params, callbacks, url = webSocketURL(params)) {
    this.url = url;
    this.callbacks = callbacks;
    /** @type {WebSocket | null} */
    this.ws = null;
    this.opened = false;
    this.closed = false;
  }

  connect() {
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      console.warn('webio: cannot open a WebSocket', err);
      setTimeout(() => this._closed({}), 0);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.closed) return;
      this.opened = true;
      this.callbacks.onOpen();
    };
    ws.onmessage = (event) => {
      if (this.closed || typeof event.data !== 'string') return;
      const commands = decodeFrame(event.data);
      if (commands.length) this.callbacks.onFrame(commands);
    };
    ws.onclose = (event) => this._closed({ code: event.code, reason: event.reason });
    ws.onerror = () => {}; // a close event follows and says what matters
  }

  /**
   * @param {{code?: number, reason?: string}} info
   */
  _closed(info) {
    if (this.closed) return;
    this.closed = true;
    this.callbacks.onClose({ opened: this.opened, ...info });
  }

  /**
   * @param {ClientEvent} event
   * @returns {boolean}
   */
  send(event) {
    const ws = this.ws;
    if (this.closed || !ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(encodeEvent(event));
    return true;
  }

  close() {
    this.closed = true;
    const ws = this.ws;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    if (ws.readyState === WebSocket.CONNECTING) {
      // Closing a socket that is still connecting makes the browser log an
      // error; let it open, then close it.
      ws.onopen = () => ws.close(1000);
    } else if (ws.readyState === WebSocket.OPEN) {
      ws.close(1000);
    }
  }
}

/** @type {Map<string, TransportFactory>} */
const factories = new Map();

/**
 * Make a transport available under a name the server may list in
 * `config.transports` (e.g. `"sse"`, `"long-poll"`).
 * @param {string} name
 * @param {TransportFactory} factory
 * @throws {Error} when the name is taken
 */
export function registerTransport(name, factory) {
  if (factories.has(name)) throw new Error(`webio: transport "${name}" is already registered`);
  factories.set(name, factory);
}

/** Connection attempts that never open before the next offered transport is tried. */
const FAILURES_BEFORE_FALLBACK = 2;
/** Where the tab remembers the transport that got through, so its next pages start there. */
const WORKING_TRANSPORT_KEY = 'webio-transport';

/**
 * The transport that last opened in this tab, if the server offers it.
 * @param {string[]} names
 * @returns {number} its index in `names`, or 0
 */
function rememberedTransport(names) {
  try {
    return Math.max(0, names.indexOf(sessionStorage.getItem(WORKING_TRANSPORT_KEY) || ''));
  } catch {
    return 0; // storage denied: start from the best
  }
}

/** @param {string} name */
function rememberTransport(name) {
  try {
    sessionStorage.setItem(WORKING_TRANSPORT_KEY, name);
  } catch {
    /* storage denied: the next page tries from the best again */
  }
}

/**
 * The transports the server offers that the client knows, best first, behind
 * one factory that falls back on its own: after {@link FAILURES_BEFORE_FALLBACK}
 * attempts in a row that never opened (a proxy that blocks WebSockets, or
 * holds back a stream), the next offered transport is used. Once a transport
 * has opened it is kept; the session's reconnects use it again, and so do the
 * tab's next pages (remembered in `sessionStorage`).
 * @param {string[] | undefined} offered in the server's order of preference
 * @returns {{name: string, factory: TransportFactory}} `name`: the first choice
 */
export function pickTransport(offered) {
  const names = (offered && offered.length ? offered : ['websocket']).filter((name) => factories.has(name));
  if (!names.length) {
    console.warn('webio: none of the offered transports is known, trying websocket', offered);
    names.push('websocket');
  }
  let index = rememberedTransport(names);
  let failures = 0;
  /** @type {TransportFactory} */
  const factory = (params, callbacks) => {
    const name = names[index];
    const make = /** @type {TransportFactory} */ (factories.get(name));
    return make(params, {
      onOpen: () => {
        failures = 0;
        rememberTransport(name);
        callbacks.onOpen();
      },
      onFrame: callbacks.onFrame,
      onClose: (info) => {
        failures = info.opened ? 0 : failures + 1;
        if (failures >= FAILURES_BEFORE_FALLBACK && index < names.length - 1) {
          index += 1;
          failures = 0;
          console.info(`webio: ${name} does not get through, switching to ${names[index]}`);
        }
        callbacks.onClose(info);
      },
    });
  };
  return { name: names[index], factory };
}

registerTransport('websocket', (params, callbacks) => new WebSocketTransport(params, callbacks));

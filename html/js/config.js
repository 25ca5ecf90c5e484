/**
 * The page's configuration, filled in by the server, and the colour theme.
 * @module webio/config
 */

/**
 * @typedef {Object} Config
 * @property {string} app app name (`?app=` of the connection)
 * @property {string[]} transports transports the server offers, best first
 * @property {boolean} debug
 * @property {'auto' | 'light' | 'dark'} theme
 * @property {boolean} reconnect whether the server keeps sessions for reconnect
 * @property {number | null} max_message_bytes the largest event the server
 *   accepts (its `max_payload_size`), null when the page does not say
 * @property {boolean} [resume_on_reload] with `reconnect`: keep the session id in
 *   sessionStorage so that reloading the page resumes the session (off by
 *   default: a reload starts a new session, as in PyWebIO)
 */

/**
 * Read `<script id="webio-config" type="application/json">`.
 * @param {Document} [doc]
 * @returns {Config}
 */
export function readConfig(doc = document) {
  /** @type {Record<string, any>} */
  let raw = {};
  const el = doc.getElementById('webio-config');
  try {
    raw = JSON.parse((el && el.textContent) || '{}') || {};
  } catch (err) {
    console.warn('webio: the page configuration is not valid JSON; using defaults', err);
  }
  const fromURL = new URLSearchParams(location.search).get('app');
  return {
    app: typeof raw.app === 'string' && raw.app ? raw.app : fromURL || 'index',
    transports: Array.isArray(raw.transports) && raw.transports.length ? raw.transports.map(String) : ['websocket'],
    debug: Boolean(raw.debug),
    theme: raw.theme === 'light' || raw.theme === 'dark' ? raw.theme : 'auto',
    reconnect: raw.reconnect !== false,
    max_message_bytes: Number.isInteger(raw.max_message_bytes) && raw.max_message_bytes > 0 ? raw.max_message_bytes : null,
    resume_on_reload: Boolean(raw.resume_on_reload),
  };
}

/**
 * Set `data-theme` on `<html>`: the configured theme, or with `"auto"` the
 * browser's `prefers-color-scheme`, following its changes.
 * @param {'auto' | 'light' | 'dark'} theme
 */
export function applyTheme(theme) {
  const html = document.documentElement;
  if (theme === 'light' || theme === 'dark') {
    html.dataset.theme = theme;
    return;
  }
  const query = matchMedia('(prefers-color-scheme: dark)');
  const update = () => {
    html.dataset.theme = query.matches ? 'dark' : 'light';
  };
  update();
  query.addEventListener('change', update);
}

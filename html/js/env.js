/**
 * `set_env`: page-wide settings the app may change at run time.
 *
 * Other modules read {@link env} (e.g. outputs read `output_animation` and
 * `auto_scroll_bottom`, forms read `input_auto_focus`). Unknown keys are
 * ignored; `http_pull_interval` belongs to the HTTP transports.
 * @module webio/env
 */

/** @typedef {import('webio/app.js').App} App */

/** The current settings, with PyWebIO's defaults where the page is concerned. */
export const env = {
  title: /** @type {string | null} */ (null),
  output_animation: true,
  auto_scroll_bottom: false,
  input_auto_focus: true,
  input_panel_fixed: false,
  input_panel_min_height: /** @type {number | null} */ (null),
  input_panel_init_height: /** @type {number | null} */ (null),
  output_max_width: /** @type {string | null} */ (null),
  http_pull_interval: /** @type {number | null} */ (null),
};

/**
 * A CSS length from a number (px) or a string, or null when not a length.
 * @param {unknown} value
 * @returns {string | null}
 */
function cssLength(value) {
  const text = typeof value === 'number' ? `${value}px` : typeof value === 'string' ? value.trim() : '';
  return text && CSS.supports('max-width', text) ? text : null;
}

/**
 * Apply a `set_env` spec (also used by snapshots).
 * @param {Record<string, unknown>} spec
 * @param {App} app
 */
export function applyEnv(spec, app) {
  if (!spec || typeof spec !== 'object') return;
  const html = document.documentElement;
  for (const [key, value] of Object.entries(spec)) {
    switch (key) {
      case 'title':
        env.title = value == null ? '' : String(value);
        document.title = env.title;
        break;
      case 'output_max_width': {
        const width = cssLength(value);
        env.output_max_width = width;
        if (width) html.style.setProperty('--webio-max-width', width);
        else html.style.removeProperty('--webio-max-width');
        break;
      }
      case 'output_animation':
        env.output_animation = Boolean(value);
        html.classList.toggle('webio-no-animation', !env.output_animation);
        break;
      case 'auto_scroll_bottom':
      case 'input_auto_focus':
        env[key] = Boolean(value);
        break;
      case 'input_panel_fixed':
        env.input_panel_fixed = Boolean(value);
        app.panel.classList.toggle('webio-panel-fixed', env.input_panel_fixed);
        break;
      case 'input_panel_min_height':
      case 'input_panel_init_height': {
        env[key] = typeof value === 'number' ? value : null;
        const length = cssLength(value);
        const prop = key === 'input_panel_min_height' ? '--webio-panel-min-height' : '--webio-panel-height';
        if (length) app.panel.style.setProperty(prop, length);
        else app.panel.style.removeProperty(prop);
        break;
      }
      case 'http_pull_interval':
        env.http_pull_interval = typeof value === 'number' ? value : null;
        break;
      default:
        break; // unknown keys are ignored, as the protocol says
    }
  }
}

/**
 * Register `set_env`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('set_env', (spec) => applyEnv(spec, app));
}

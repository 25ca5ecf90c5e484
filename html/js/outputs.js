/**
 * Outputs: a renderer registry keyed by `spec.type`, the built-in types, and
 * the `output` command.
 *
 * Add a type from any module:
 *
 *     import { registerOutput } from 'webio/outputs.js';
 *     registerOutput('progressbar', (spec, ctx) => {
 *       const bar = document.createElement('progress');
 *       bar.value = spec.value;
 *       return bar;                    // one Element; never throw for bad input
 *     });
 *
 * `ctx.render(child)` renders nested output specs (rows, columns, tabs …),
 * `ctx.callback(id, data)` sends a `callback` event, `ctx.scopes.register(name, el)`
 * makes an element a named scope. The registry adds the common parts itself:
 * classes `webio-output webio-output-TYPE`, `spec.style` and `spec.output_id`
 * (as `data-webio-output-id`, see {@link findOutput}). An unknown type, or a
 * renderer that throws, shows a small "unsupported output" placeholder.
 * @module webio/outputs
 */
import { h, classToken, prefersReducedMotion } from 'webio/dom.js';
import { env } from 'webio/env.js';
import { t } from 'webio/i18n.js';
import { insertAt, normalizeScopeName } from 'webio/scopes.js';

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {import('webio/transport.js').ClientEvent} ClientEvent
 * @typedef {import('webio/scopes.js').Scopes} Scopes
 * @typedef {Record<string, any> & {type: string}} OutputSpec
 */

/**
 * @typedef {Object} OutputContext
 * @property {(spec: OutputSpec) => HTMLElement} render render a nested output spec
 * @property {(event: ClientEvent) => void} send send any event
 * @property {(callbackId: string, data: unknown) => void} callback send a `callback` event
 * @property {Scopes} scopes the scope registry
 * @property {App} app the whole client, for the rare renderer that needs more
 * @property {(name: string) => OutputSpec[] | null} scopeContents while a
 *   snapshot is rendered: the outputs of scope `name`; otherwise null
 */

/** @typedef {(spec: OutputSpec, ctx: OutputContext) => Element} OutputRenderer */

/** @type {Map<string, OutputRenderer>} */
const renderers = new Map();

/**
 * Register the renderer of an output type.
 * @param {string} type the `spec.type` it renders
 * @param {OutputRenderer} renderer returns one Element for the spec
 * @throws {Error} when the type already has a renderer
 */
export function registerOutput(type, renderer) {
  if (typeof renderer !== 'function') throw new TypeError(`webio: the renderer of output "${type}" must be a function`);
  if (renderers.has(type)) throw new Error(`webio: output type "${type}" already has a renderer`);
  renderers.set(type, renderer);
}

/**
 * @param {string} type
 * @returns {boolean}
 */
export function hasOutput(type) {
  return renderers.has(type);
}

/**
 * The small visible placeholder for a type the client cannot show.
 * @param {string} type
 * @returns {HTMLElement}
 */
function unsupported(type) {
  return h('div', { class: 'webio-unsupported', role: 'note' }, t('unsupported_output', { type }));
}

/**
 * Render one output spec to an element. Never throws.
 * @param {OutputSpec} spec
 * @param {OutputContext} ctx
 * @returns {HTMLElement}
 */
export function renderOutput(spec, ctx) {
  if (!spec || typeof spec !== 'object') {
    console.warn('webio: ignoring an output that is not an object', spec);
    return unsupported(String(spec));
  }
  const type = String(spec.type);
  const renderer = renderers.get(type);
  /** @type {HTMLElement} */
  let el;
  if (!renderer) {
    console.warn(`webio: no renderer for output type "${type}"`);
    el = unsupported(type);
  } else {
    try {
      const out = renderer(spec, ctx);
      el = out instanceof HTMLElement ? out : h('span', null, out instanceof Node ? out : String(out ?? ''));
    } catch (err) {
      console.error(`webio: rendering a "${type}" output failed`, err);
      el = unsupported(type);
    }
  }
  el.classList.add('webio-output', `webio-output-${classToken(type)}`);
  if (typeof spec.style === 'string' && spec.style.trim()) el.style.cssText += `;${spec.style}`;
  if (spec.output_id !== undefined && spec.output_id !== null) el.dataset.webioOutputId = String(spec.output_id);
  if (typeof spec.click_callback_id === 'string') makeClickable(el, spec.click_callback_id, ctx);
  return el;
}

/**
 * `Output.onclick()`: a click (or Enter/Space) on the output calls back. The
 * element gets a button role unless it is a control already.
 * @param {HTMLElement} el
 * @param {string} callbackId
 * @param {OutputContext} ctx
 */
function makeClickable(el, callbackId, ctx) {
  el.classList.add('webio-clickable');
  el.dataset.webioCallback = callbackId;
  if (!el.matches('button, a[href], input, select, textarea')) {
    el.setAttribute('role', 'button');
    el.tabIndex = 0;
    el.addEventListener('keydown', (event) => {
      if (event.target === el && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        ctx.callback(callbackId, null);
      }
    });
  }
  el.addEventListener('click', () => ctx.callback(callbackId, null));
}

/**
 * The element of an output by its `output_id`, or null.
 * @param {string} outputId
 * @returns {HTMLElement | null}
 */
export function findOutput(outputId) {
  return document.querySelector(`[data-webio-output-id="${CSS.escape(String(outputId))}"]`);
}

/**
 * A rendering context.
 * @param {App} app
 * @param {Record<string, OutputSpec[]> | null} [snapshotScopes] the `scopes`
 *   of a snapshot being rendered
 * @returns {OutputContext}
 */
export function createContext(app, snapshotScopes = null) {
  const seen = new Set();
  /** @type {OutputContext} */
  const ctx = {
    app,
    scopes: app.scopes,
    send: (event) => app.send(event),
    callback: (callbackId, data) => app.send({ event: 'callback', task_id: callbackId, data: data ?? null }),
    render: (spec) => renderOutput(spec, ctx),
    scopeContents(name) {
      if (!snapshotScopes || seen.has(name)) return null; // a scope inside itself: render once
      seen.add(name);
      const list = snapshotScopes[name];
      return Array.isArray(list) ? list : null;
    },
  };
  return ctx;
}

/**
 * The class list of a button in webio's look (shared by forms and other widgets).
 * @param {unknown} color primary, secondary, success, danger, warning, info, light, dark
 * @param {{small?: boolean, outline?: boolean, link_style?: boolean}} [style]
 * @returns {string}
 */
export function buttonClass(color, { small = false, outline = false, link_style = false } = {}) {
  const name = typeof color === 'string' && color ? classToken(color) : 'primary';
  return [
    'webio-btn',
    link_style ? 'webio-btn-link' : `webio-btn-${name}`,
    outline && !link_style && 'webio-btn-outline',
    small && 'webio-btn-sm',
  ].filter(Boolean).join(' ');
}

// ---------------------------------------------------------------- built-ins

registerOutput('text', (spec) =>
  h(spec.inline ? 'span' : 'p', { class: 'webio-text' }, spec.content == null ? '' : String(spec.content)),
);

registerOutput('markdown', (spec) => {
  const el = h('div', { class: 'webio-markdown' });
  // Rendered and sanitized on the server (see docs/protocol.md).
  el.innerHTML = typeof spec.html === 'string' ? spec.html : '';
  return el;
});

registerOutput('html', (spec) => {
  const el = h('div', { class: 'webio-html' });
  // Raw HTML, the server decides what is safe. A contextual fragment runs
  // <script> elements, as PyWebIO's put_html does.
  const html = typeof spec.content === 'string' ? spec.content : '';
  el.append(document.createRange().createContextualFragment(html));
  return el;
});

registerOutput('buttons', (spec, ctx) => {
  const group = Boolean(spec.group);
  const el = h('div', { class: ['webio-buttons', group && 'webio-btn-group'], role: group ? 'group' : null });
  const callbackId = typeof spec.callback_id === 'string' ? spec.callback_id : null;
  for (const button of Array.isArray(spec.buttons) ? spec.buttons : []) {
    if (!button || typeof button !== 'object') continue;
    const label = button.label ?? button.value ?? '';
    const btn = h('button', {
      type: 'button',
      class: buttonClass(button.color, { small: Boolean(spec.small), outline: Boolean(spec.outline), link_style: Boolean(spec.link_style) }),
      disabled: Boolean(button.disabled),
    }, String(label));
    if (callbackId) {
      btn.dataset.webioCallback = callbackId;
      btn.addEventListener('click', () => ctx.callback(callbackId, button.value));
    }
    el.append(btn);
  }
  return el;
});

registerOutput('scope', (spec, ctx) => {
  const name = String(spec.name ?? '');
  const el = ctx.scopes.register(name, document.createElement('div'));
  const children = ctx.scopeContents(name) ?? (Array.isArray(spec.contents) ? spec.contents : []);
  for (const child of children) el.append(ctx.render(child));
  return el;
});

// ---------------------------------------------------------------- command

/**
 * Mark a freshly inserted output for the entry animation.
 * @param {Element} el
 */
function animate(el) {
  if (!env.output_animation || prefersReducedMotion()) return;
  el.classList.add('webio-enter');
  el.addEventListener('animationend', () => el.classList.remove('webio-enter'), { once: true });
}

/**
 * Render `spec` into its scope at its position (the `output` command).
 * @param {App} app
 * @param {OutputSpec} spec
 * @returns {HTMLElement | null} the new element, or null when its scope does not exist
 */
export function putOutput(app, spec) {
  const name = normalizeScopeName(spec.scope);
  const container = app.scopes.get(name);
  if (!container) {
    console.warn(`webio: output into scope "${name}", which is not on the page`);
    return null;
  }
  const el = renderOutput(spec, createContext(app));
  insertAt(container, el, spec.position ?? -1);
  animate(el);
  if (env.auto_scroll_bottom) {
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }
  return el;
}

/**
 * Register `output`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('output', (spec) => {
    if (spec && typeof spec === 'object') putOutput(app, spec);
  });
}

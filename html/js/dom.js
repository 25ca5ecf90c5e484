/**
 * Tiny DOM helpers shared by the client modules.
 *
 * Text always goes in through text nodes (`textContent`, `append(string)`),
 * never through `innerHTML`: only the `html` and `markdown` output types insert
 * server-provided markup, and they do it themselves.
 * @module webio/dom
 */

/**
 * Create an element.
 *
 * `props` keys: `class` (string or array, falsy entries skipped), `text`
 * (textContent), `dataset` (object), `style` (CSS text), `on<event>` (listener),
 * anything else becomes an attribute (`true` → empty attribute; `null`,
 * `undefined` and `false` are skipped). String children become text nodes.
 *
 * @param {string} tag
 * @param {Record<string, any> | null} [props]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key === 'style') {
        el.style.cssText = String(value);
      } else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  return el;
}

let counter = 0;

/**
 * A page-unique id for `id` / `for` / `aria-describedby` wiring.
 * @param {string} [prefix]
 * @returns {string}
 */
export function uid(prefix = 'webio') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * Turn an arbitrary string into something safe inside a class name.
 * @param {unknown} value
 * @returns {string}
 */
export function classToken(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Whether the visitor asked the system for less motion.
 * @returns {boolean}
 */
export function prefersReducedMotion() {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

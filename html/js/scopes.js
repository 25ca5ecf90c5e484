/**
 * Scopes: named containers that receive outputs, and `output_ctl`.
 *
 * The ROOT scope is the page's main column. A scope element carries
 * `data-webio-scope="NAME"` and, for CSS and scripts written for PyWebIO,
 * `id="pywebio-scope-NAME"`.
 * @module webio/scopes
 */
import { prefersReducedMotion } from 'webio/dom.js';
import { createContext, findOutput, renderOutput } from 'webio/outputs.js';

/** @typedef {import('webio/app.js').App} App */

/**
 * A scope name from a spec: default `"ROOT"`; PyWebIO's selector form
 * `#pywebio-scope-NAME` is accepted too.
 * @param {unknown} name
 * @returns {string}
 */
export function normalizeScopeName(name) {
  if (name === undefined || name === null || name === '') return 'ROOT';
  const text = String(name);
  return text.startsWith('#pywebio-scope-') ? text.slice('#pywebio-scope-'.length) : text;
}

/**
 * Insert `el` among the children of `parent` at a protocol position:
 * `-1` append; `i ≥ 0` before the i-th child (append if there are fewer);
 * `-k` after the k-th child from the end (prepend if there are fewer).
 * @param {Element} parent
 * @param {Element} el
 * @param {unknown} [position]
 */
export function insertAt(parent, el, position = -1) {
  const pos = typeof position === 'number' && Number.isInteger(position) ? position : -1;
  const children = parent.children;
  if (pos === -1) {
    parent.append(el);
  } else if (pos >= 0) {
    const ref = children[pos];
    if (ref) parent.insertBefore(el, ref);
    else parent.append(el);
  } else {
    const ref = children[children.length + pos];
    if (ref) ref.after(el);
    else parent.prepend(el);
  }
}

export class Scopes {
  /** @param {HTMLElement} root the ROOT scope element */
  constructor(root) {
    this.root = root;
    /** @type {Map<string, HTMLElement>} */
    this._map = new Map();
    this.register('ROOT', root);
  }

  /**
   * The element of a scope that is on the page, or null.
   * @param {string} name
   * @returns {HTMLElement | null}
   */
  get(name) {
    const known = this._map.get(name);
    if (known && known.isConnected) return known;
    if (known) this._map.delete(name);
    const found = /** @type {HTMLElement | null} */ (
      document.querySelector(`[data-webio-scope="${CSS.escape(name)}"]`)
    );
    if (found) this._map.set(name, found);
    return found;
  }

  /**
   * Make `el` the scope called `name` (used by the `scope` output type and by
   * any widget that holds a scope, e.g. a popup or a tab).
   * @param {string} name
   * @param {HTMLElement} el
   * @returns {HTMLElement} el
   */
  register(name, el) {
    el.classList.add('webio-scope');
    el.dataset.webioScope = name;
    el.id = `pywebio-scope-${name}`;
    this._map.set(name, el);
    return el;
  }

  /**
   * A new, empty, registered scope element.
   * @param {string} name
   * @returns {HTMLElement}
   */
  create(name) {
    return this.register(name, document.createElement('div'));
  }

  /**
   * `output_ctl` `set_scope`.
   * @param {string} name
   * @param {string} container
   * @param {unknown} position
   * @param {string | null | undefined} ifExist `null`/`"none"` keep, `"remove"`, `"clear"`
   */
  setScope(name, container, position, ifExist) {
    const existing = this.get(name);
    if (existing) {
      if (ifExist === 'clear') {
        existing.replaceChildren();
        return;
      }
      if (ifExist !== 'remove') return;
      if (existing === this.root) {
        console.warn('webio: the ROOT scope cannot be removed');
        return;
      }
      existing.remove();
    }
    const parent = this.get(container);
    if (!parent) {
      console.warn(`webio: set_scope "${name}": no scope "${container}" to put it in`);
      return;
    }
    insertAt(parent, this.create(name), position);
  }

  /** @param {string} name */
  clear(name) {
    const el = this.get(name);
    if (el) el.replaceChildren();
    else console.warn(`webio: clear: no scope "${name}"`);
  }

  /** @param {string} name */
  remove(name) {
    const el = this.get(name);
    if (el === this.root) console.warn('webio: the ROOT scope cannot be removed');
    else if (el) el.remove();
  }

  /**
   * @param {string} name
   * @param {unknown} [position] `top` | `middle` | `bottom`
   */
  scrollTo(name, position = 'top') {
    const el = this.get(name);
    if (!el) return;
    /** @type {ScrollLogicalPosition} */
    const block = position === 'bottom' ? 'end' : position === 'middle' ? 'center' : 'start';
    el.scrollIntoView({ block, behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }

  /** Empty ROOT and forget every other scope (a snapshot follows). */
  reset() {
    this.root.replaceChildren();
    this._map.clear();
    this.register('ROOT', this.root);
  }
}

/**
 * Register `output_ctl`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('output_ctl', (spec) => {
    if (!spec || typeof spec !== 'object') return;
    const scopes = app.scopes;
    if ('set_scope' in spec) {
      scopes.setScope(
        normalizeScopeName(spec.set_scope),
        normalizeScopeName(spec.container),
        spec.position ?? -1,
        spec.if_exist,
      );
    }
    if ('clear' in spec) scopes.clear(normalizeScopeName(spec.clear));
    if ('remove' in spec) scopes.remove(normalizeScopeName(spec.remove));
    if ('scroll_to' in spec) scopes.scrollTo(normalizeScopeName(spec.scroll_to), spec.position);
    if (Array.isArray(spec.remove_outputs)) {
      for (const [, outputId] of spec.remove_outputs) findOutput(outputId)?.remove();
    }
    if ('replace' in spec) {
      const old = findOutput(spec.replace);
      if (old) {
        const fresh = renderOutput(spec.spec, createContext(app));
        // Named scopes inside the output keep what was put into them meanwhile.
        for (const scope of fresh.querySelectorAll('[data-webio-scope]')) {
          const name = /** @type {HTMLElement} */ (scope).dataset.webioScope || '';
          const before = old.querySelector(`[data-webio-scope="${CSS.escape(name)}"]`);
          if (before) scope.replaceChildren(...before.childNodes);
        }
        old.replaceWith(fresh);
      }
    }
  });
}

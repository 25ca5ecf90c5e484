/**
 * What the client tells the visitor outside the page's own content: toasts
 * (`toast`), notices (`notice`) and the connection banner (reconnecting,
 * connection lost, session ended).
 * @module webio/notify
 */
import { h, classToken, prefersReducedMotion } from 'webio/dom.js';
import { t } from 'webio/i18n.js';

/** @typedef {import('webio/app.js').App} App */

/** PyWebIO's toast colours and webio's button colours → one palette. */
const COLORS = /** @type {Record<string, string>} */ ({
  info: 'info', success: 'success', warn: 'warning', warning: 'warning', error: 'danger', danger: 'danger',
  primary: 'primary', secondary: 'secondary', light: 'light', dark: 'dark',
});

/**
 * @typedef {Object} ToastOptions
 * @property {unknown} content text (never parsed as HTML)
 * @property {number} [duration] seconds; 0 keeps it until closed (default 2)
 * @property {string} [position] `left` | `center` | `right` (default center)
 * @property {string} [color] a palette name or any CSS colour (default info)
 * @property {(() => void) | null} [onClick] makes the toast a button
 * @property {'status' | 'alert'} [role]
 */

/** @typedef {'reconnecting' | 'lost' | 'ended' | null} BannerState */

export class Notifier {
  /** @param {HTMLElement} banner the `role=status` element of the connection banner */
  constructor(banner) {
    this.banner = banner;
    /** @type {Record<string, HTMLElement>} */
    this.containers = {};
    for (const position of ['left', 'center', 'right']) {
      const el = h('div', { class: ['webio-toasts', `webio-toasts-${position}`] });
      document.body.append(el);
      this.containers[position] = el;
    }
  }

  /**
   * Show a toast.
   * @param {ToastOptions} options
   * @returns {{element: HTMLElement, close: () => void}}
   */
  toast({ content, duration = 2, position = 'center', color = 'info', onClick = null, role = 'status' }) {
    const palette = typeof color === 'string' ? COLORS[color] : undefined;
    const el = h('div', { class: ['webio-toast', palette ? `webio-toast-${palette}` : 'webio-toast-custom'], role });
    if (!palette && typeof color === 'string' && CSS.supports('color', color)) {
      el.style.setProperty('--webio-toast-bg', color);
    }
    const text = content === null || content === undefined ? '' : String(content);
    let timer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
    const close = () => {
      clearTimeout(timer);
      if (!el.isConnected) return;
      if (prefersReducedMotion()) {
        el.remove();
        return;
      }
      el.classList.add('webio-toast-leave');
      setTimeout(() => el.remove(), 180);
    };
    const body = onClick
      ? h('button', { type: 'button', class: 'webio-toast-body', onclick: () => { onClick(); close(); } }, text)
      : h('div', { class: 'webio-toast-body' }, text);
    const closeButton = h('button', { type: 'button', class: 'webio-toast-close', 'aria-label': t('close'), onclick: close }, '×');
    el.append(body, closeButton);
    const ms = typeof duration === 'number' && duration > 0 ? duration * 1000 : 0;
    const arm = () => {
      clearTimeout(timer);
      if (ms) timer = setTimeout(close, ms);
    };
    // Hovering or focusing a toast keeps it (WCAG 2.2.1, timing adjustable).
    el.addEventListener('mouseenter', () => clearTimeout(timer));
    el.addEventListener('mouseleave', arm);
    el.addEventListener('focusin', () => clearTimeout(timer));
    el.addEventListener('focusout', arm);
    const container = this.containers[classToken(position)] || this.containers.center;
    container.append(el);
    arm();
    return { element: el, close };
  }

  /**
   * A notice from the server (`notice`): a toast; errors are `role=alert`.
   * @param {{level?: string, message?: unknown}} spec
   */
  notice({ level = 'info', message = '' }) {
    const error = level === 'error';
    this.toast({
      content: message,
      color: error ? 'danger' : level === 'warning' ? 'warning' : 'info',
      duration: error ? 10 : 6,
      role: error ? 'alert' : 'status',
    });
  }

  /**
   * Show the connection banner, or hide it with null.
   * @param {BannerState} state
   */
  status(state) {
    const banner = this.banner;
    banner.replaceChildren();
    banner.dataset.state = state || '';
    banner.hidden = !state;
    if (!state) return;
    if (state === 'reconnecting') banner.append(h('span', { class: 'webio-spinner', 'aria-hidden': 'true' }));
    banner.append(h('span', { class: 'webio-status-text' }, t(state)));
    if (state !== 'reconnecting') {
      banner.append(h('button', {
        type: 'button',
        class: 'webio-btn webio-btn-sm webio-btn-outline webio-btn-secondary',
        onclick: () => location.reload(),
      }, t('reload')));
    }
  }
}

/**
 * Register `toast` and `notice`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('toast', (spec) => {
    if (!spec || typeof spec !== 'object') return;
    const callbackId = typeof spec.callback_id === 'string' ? spec.callback_id : null;
    app.notify.toast({
      content: spec.content,
      duration: typeof spec.duration === 'number' ? spec.duration : 2,
      position: typeof spec.position === 'string' ? spec.position : 'center',
      color: typeof spec.color === 'string' ? spec.color : 'info',
      onClick: callbackId ? () => app.send({ event: 'callback', task_id: callbackId, data: null }) : null,
    });
  });
  app.dispatcher.register('notice', (spec) => {
    if (spec && typeof spec === 'object') app.notify.notice(spec);
  });
}

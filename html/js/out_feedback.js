/**
 * Feedback outputs: `message` (put_info …), `progressbar` with the
 * `set_progressbar` command, and `loading` (a spinner).
 * @module webio/out_feedback
 */
import { h, classToken } from 'webio/dom.js';
import { t } from 'webio/i18n.js';
import 'webio/out_i18n.js';
import { renderChildren } from 'webio/out_layout.js';
import { registerOutput } from 'webio/outputs.js';

/** @typedef {import('webio/app.js').App} App */

registerOutput('message', (spec, ctx) => {
  const color = ['info', 'success', 'warning', 'danger'].includes(spec.color) ? spec.color : 'info';
  const body = renderChildren(h('div', { class: 'webio-message-body' }), spec.contents, ctx);
  const el = h('div', { class: ['webio-message', `webio-message-${color}`], role: color === 'danger' ? 'alert' : 'status' }, body);
  if (spec.closable) {
    el.append(h('button', {
      type: 'button',
      class: 'webio-message-close',
      'aria-label': t('dismiss'),
      onclick: () => {
        el.remove();
        if (typeof spec.close_callback_id === 'string') ctx.callback(spec.close_callback_id, null);
      },
    }, '×'));
  }
  return el;
});

/**
 * A progress value from the spec, clamped to 0…1.
 * @param {unknown} value
 * @returns {number}
 */
function fraction(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/**
 * Show `value` and `label` on a progress bar element.
 * @param {HTMLElement} el the `.webio-progress` element
 * @param {unknown} value
 * @param {unknown} label null for the percentage
 */
function setBar(el, value, label) {
  const v = fraction(value);
  const text = label == null ? `${(v * 100).toFixed(1)}%` : String(label);
  const bar = /** @type {HTMLElement} */ (el.querySelector('.webio-progress-bar'));
  const track = /** @type {HTMLElement} */ (el.querySelector('.webio-progress-track'));
  bar.style.width = `${v * 100}%`;
  track.setAttribute('aria-valuenow', String(Math.round(v * 1000) / 10));
  track.setAttribute('aria-valuetext', text);
  /** @type {HTMLElement} */ (el.querySelector('.webio-progress-label')).textContent = text;
  el.classList.toggle('webio-progress-done', v >= 1);
}

registerOutput('progressbar', (spec) => {
  const name = String(spec.name ?? '');
  const track = h('div', {
    class: 'webio-progress-track', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
  }, h('div', { class: 'webio-progress-bar' }));
  const el = h('div', { class: 'webio-progress', dataset: { webioProgressbar: name, autoClose: spec.auto_close ? '1' : '' } },
    track, h('span', { class: 'webio-progress-label' }));
  setBar(el, spec.value, spec.label);
  return el;
});

registerOutput('loading', (spec, ctx) => {
  const shape = spec.shape === 'grow' ? 'grow' : 'border';
  const color = classToken(typeof spec.color === 'string' ? spec.color : 'dark');
  const spinner = h('span', { class: ['webio-loading-spinner', `webio-loading-${shape}`, `webio-loading-${color}`], role: 'status' },
    h('span', { class: 'webio-visually-hidden' }, t('loading')));
  return renderChildren(h('div', { class: 'webio-loading' }, spinner), spec.contents, ctx);
});

/**
 * Register `set_progressbar`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('set_progressbar', (spec) => {
    if (!spec || typeof spec !== 'object') return;
    const selector = `[data-webio-progressbar="${CSS.escape(String(spec.name))}"]`;
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(selector))) {
      if (el.dataset.autoClose && fraction(spec.value) >= 1) {
        (el.closest('.webio-output') || el).remove();
      } else {
        setBar(el, spec.value, spec.label);
      }
    }
  });
}

/**
 * `popup` and `close_popup`: one modal dialog at a time, built on `<dialog>`
 * (focus stays inside while it is open and returns where it was afterwards).
 *
 * The popup's content is a `scope` output, so `put_xxx(scope=…)` adds to it. When
 * the visitor closes it (close button; with `implicit_close` also Esc or a click
 * beside it), the client sends `close_callback_id` so the server forgets it too.
 * With `closable: false` only `close_popup` closes it.
 * @module webio/out_popup
 */
import { h, uid } from 'webio/dom.js';
import { t } from 'webio/i18n.js';
import { createContext } from 'webio/outputs.js';

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {import('webio/outputs.js').OutputContext} OutputContext
 */

/** @type {{dialog: HTMLDialogElement, returnFocus: Element | null} | null} */
let current = null;

/** Close the open popup, if any (`close_popup`). */
export function closePopup() {
  if (!current) return;
  const { dialog, returnFocus } = current;
  current = null;
  if (dialog.open) dialog.close();
  dialog.remove();
  if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
}

/**
 * Open a popup (`popup`; also used by snapshots).
 * @param {App} app
 * @param {Record<string, any>} spec
 * @param {OutputContext} [ctx] the rendering context (a snapshot passes its own)
 */
export function openPopup(app, spec, ctx = createContext(app)) {
  const previous = current;
  closePopup();
  const closable = spec.closable !== false;
  const implicit = closable && spec.implicit_close !== false;
  const size = ['small', 'large'].includes(spec.size) ? spec.size : 'normal';
  const titleId = uid('webio-popup-title');
  const dialog = /** @type {HTMLDialogElement} */ (h('dialog', { class: ['webio-popup', `webio-popup-${size}`], 'aria-labelledby': titleId }));
  const visitorClose = () => {
    if (!current || current.dialog !== dialog) return;
    closePopup();
    if (typeof spec.close_callback_id === 'string') ctx.callback(spec.close_callback_id, null);
  };
  const header = h('div', { class: 'webio-popup-header' }, h('h2', { class: 'webio-popup-title', id: titleId }, String(spec.title ?? '')));
  if (closable) {
    header.append(h('button', { type: 'button', class: 'webio-popup-close', 'aria-label': t('close'), onclick: visitorClose }, '×'));
  }
  const body = h('div', { class: 'webio-popup-body' });
  for (const child of Array.isArray(spec.content) ? spec.content : []) {
    if (child && typeof child === 'object') body.append(ctx.render(child));
  }
  dialog.append(h('div', { class: 'webio-popup-box' }, header, body));
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (implicit) visitorClose();
  });
  // Without implicit close, Esc must not even ask (a repeated Esc would force it).
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !implicit) event.preventDefault();
  });
  // The browser may close a dialog by itself (a repeated Esc): keep it in step.
  dialog.addEventListener('close', () => {
    if (!current || current.dialog !== dialog) return;
    if (closable) visitorClose();
    else dialog.showModal();
  });
  dialog.addEventListener('click', (event) => {
    if (implicit && event.target === dialog) visitorClose();
  });
  document.body.append(dialog);
  current = { dialog, returnFocus: previous ? previous.returnFocus : document.activeElement };
  dialog.showModal();
}

/**
 * Register `popup` and `close_popup`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('popup', (spec) => {
    if (spec && typeof spec === 'object') openPopup(app, spec);
  });
  app.dispatcher.register('close_popup', () => closePopup());
}

/**
 * `widget` (put_widget) and `code` (put_code).
 *
 * A widget's `html` was rendered from the app's template on the server; its
 * `<template data-webio-slot="N">` placeholders are replaced by the nested
 * outputs `slots[N]`. Like `html` outputs, the markup is the app's own and is
 * inserted as is. A code block's `html` is Pygments' escaped, highlighted code.
 * @module webio/out_widget
 */
import { h } from 'webio/dom.js';
import { t } from 'webio/i18n.js';
import 'webio/out_i18n.js';
import { registerOutput } from 'webio/outputs.js';

registerOutput('widget', (spec, ctx) => {
  const el = h('div', { class: 'webio-widget' });
  el.append(document.createRange().createContextualFragment(typeof spec.html === 'string' ? spec.html : ''));
  const slots = Array.isArray(spec.slots) ? spec.slots : [];
  for (const placeholder of el.querySelectorAll('template[data-webio-slot]')) {
    const child = slots[Number(/** @type {HTMLElement} */ (placeholder).dataset.webioSlot)];
    if (child && typeof child === 'object') placeholder.replaceWith(ctx.render(child));
    else placeholder.remove();
  }
  return el;
});

registerOutput('code', (spec) => {
  const code = h('code');
  // Escaped and highlighted by Pygments on the server (see docs/protocol.md).
  code.innerHTML = typeof spec.html === 'string' ? spec.html : '';
  const pre = h('pre', { class: 'webio-code', tabindex: '0' }, code);
  if (typeof spec.language === 'string' && spec.language) pre.dataset.language = spec.language;
  if (typeof spec.rows === 'number' && spec.rows > 0) pre.style.maxHeight = `calc(${Math.floor(spec.rows)} * 1.5em + 1.75rem)`;
  const el = h('div', { class: 'webio-code-block' }, pre);
  if (navigator.clipboard && window.isSecureContext) {
    const copy = h('button', { type: 'button', class: 'webio-code-copy' }, t('copy'));
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(code.textContent || '').then(() => {
        copy.textContent = t('copied');
        setTimeout(() => { copy.textContent = t('copy'); }, 1500);
      }, () => {});
    });
    el.append(copy);
  }
  return el;
});

/**
 * `image`, `file` and `link` outputs.
 *
 * URLs are checked again here (the server already refuses unsafe ones): links
 * keep only http(s), mailto, tel, ftp and relative URLs; images also `data:image/`
 * and `blob:`. A `file` carries its bytes as base64 and becomes a download only
 * when clicked, so the page holds no object URL for it.
 * @module webio/out_media
 */
import { h } from 'webio/dom.js';
import { base64ToBuffer, saveFile } from 'webio/download.js';
import { t } from 'webio/i18n.js';
import 'webio/out_i18n.js';
import { registerOutput } from 'webio/outputs.js';

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:', 'ftp:']);

/**
 * `url` if it is safe to put in `href`/`src`, else null.
 * @param {unknown} url
 * @param {{image?: boolean}} [options]
 * @returns {string | null}
 */
export function safeUrl(url, { image = false } = {}) {
  if (typeof url !== 'string') return null;
  let parsed;
  try {
    parsed = new URL(url, document.baseURI);
  } catch {
    return null;
  }
  if (LINK_SCHEMES.has(parsed.protocol)) return url;
  if (image && (parsed.protocol === 'blob:' || (parsed.protocol === 'data:' && /^data:image\//i.test(url.trim())))) return url;
  return null;
}

/**
 * A CSS length from the spec, or ''.
 * @param {unknown} value
 * @returns {string}
 */
function length(value) {
  return typeof value === 'string' && CSS.supports('width', value) ? value : '';
}

registerOutput('image', (spec) => {
  const src = safeUrl(spec.src, { image: true });
  const title = typeof spec.title === 'string' ? spec.title : '';
  if (!src) return h('span', { class: 'webio-unsupported', role: 'img', 'aria-label': title }, title || 'image');
  const img = /** @type {HTMLImageElement} */ (h('img', { class: 'webio-image', alt: title, title: title || null, decoding: 'async' }));
  img.src = src;
  img.style.width = length(spec.width);
  img.style.height = length(spec.height);
  return img;
});

registerOutput('file', (spec) => {
  const name = typeof spec.name === 'string' && spec.name ? spec.name : 'download';
  const label = spec.label == null ? name : String(spec.label);
  const button = h('button', {
    type: 'button',
    class: 'webio-file',
    title: t('download', { name }),
  }, h('span', { class: 'webio-file-icon', 'aria-hidden': 'true' }), label);
  button.addEventListener('click', () => {
    try {
      saveFile(name, base64ToBuffer(typeof spec.content === 'string' ? spec.content : ''));
    } catch (err) {
      console.warn('webio: the file of this link cannot be read', err);
    }
  });
  return button;
});

registerOutput('link', (spec) => {
  const name = spec.name == null ? '' : String(spec.name);
  const href = safeUrl(spec.href);
  if (!href) return h('span', { class: 'webio-link' }, name);
  const link = /** @type {HTMLAnchorElement} */ (h('a', { class: 'webio-link' }, name));
  link.href = href;
  if (spec.new_window) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  return link;
});

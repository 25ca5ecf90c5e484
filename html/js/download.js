/**
 * `download`: offer a file the server sent as base64.
 * @module webio/download
 */

/** @typedef {import('webio/app.js').App} App */

/**
 * Decode base64 into bytes.
 * @param {string} base64
 * @returns {ArrayBuffer}
 * @throws {DOMException} when the text is not base64
 */
export function base64ToBuffer(base64) {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/**
 * Save bytes as a file through a temporary `<a download>`.
 * @param {string} name file name offered to the visitor
 * @param {BlobPart} content bytes, text or a Blob
 */
export function saveFile(name, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name || 'download';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Register `download`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('download', (spec) => {
    if (!spec || typeof spec.content !== 'string') return;
    let bytes;
    try {
      bytes = base64ToBuffer(spec.content);
    } catch (err) {
      console.warn('webio: download content is not base64', err);
      return;
    }
    saveFile(typeof spec.name === 'string' ? spec.name : 'download', bytes);
  });
}

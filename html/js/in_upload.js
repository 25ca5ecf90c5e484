/**
 * File items (`file_upload`, `put_file_upload`) and the chunked upload that
 * carries their files (event `upload`, command `upload_ack`; see
 * docs/protocol.md).
 *
 * A form uploads the chosen files when it is submitted, before `from_submit`;
 * a pin widget uploads them as soon as they are chosen. Files are read slice by
 * slice (`Blob.slice`), so a 100 MB file is never in memory at once; at most
 * {@link WINDOW_CHUNKS} chunks are unacknowledged. A progress bar shows the
 * bytes the server has acknowledged. The limits are checked here for comfort
 * and enforced by the server, whose message shows next to the field. A
 * connection that drops ends the upload with a clear message; submitting again
 * starts it anew.
 * @module webio/in_upload
 */
import { h } from 'webio/dom.js';
import { addMessages, t } from 'webio/i18n.js';
import { registerInputItem } from 'webio/inputs.js';

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {{received: number, total: number, error: string | null, started: boolean,
 *   lastProgress: number, wake: (() => void) | null}} UploadState
 */

/** Chunks sent ahead of the server's acknowledgements. */
const WINDOW_CHUNKS = 4;
/** An upload with no acknowledgement for this long has failed. */
const STALL_MS = 60_000;
/** How often a waiting upload looks at the connection. */
const POLL_MS = 200;

addMessages('en', {
  upload_progress: '{done} of {total} uploaded',
  upload_progress_label: 'Upload progress',
  upload_done: '{count} file(s), {total}, uploaded',
  upload_interrupted: 'The upload was interrupted (the connection dropped). Please submit again.',
  upload_stalled: 'The upload stopped: the server did not answer. Please submit again.',
  upload_one: 'Please choose one file only.',
  upload_too_big: '{name} is {size}, over the limit of {limit} per file.',
  upload_too_much: 'The files are {size} together, over the limit of {limit}.',
});
addMessages('zh', {
  upload_progress: '已上传 {done} / {total}', upload_progress_label: '上传进度',
  upload_done: '已上传 {count} 个文件，共 {total}',
  upload_interrupted: '上传中断（连接已断开），请重新提交。', upload_stalled: '上传停止：服务器没有响应，请重新提交。',
  upload_one: '请只选择一个文件。', upload_too_big: '{name} 大小为 {size}，超过单个文件 {limit} 的限制。',
  upload_too_much: '文件总大小为 {size}，超过 {limit} 的限制。',
});
addMessages('de', {
  upload_progress: '{done} von {total} hochgeladen', upload_progress_label: 'Fortschritt des Hochladens',
  upload_done: '{count} Datei(en), {total}, hochgeladen',
  upload_interrupted: 'Das Hochladen wurde unterbrochen (Verbindung verloren). Bitte erneut absenden.',
  upload_stalled: 'Das Hochladen stockt: der Server antwortet nicht. Bitte erneut absenden.',
  upload_one: 'Bitte nur eine Datei wählen.', upload_too_big: '{name} ist {size} groß, über der Grenze von {limit} je Datei.',
  upload_too_much: 'Die Dateien sind zusammen {size} groß, über der Grenze von {limit}.',
});
addMessages('fr', {
  upload_progress: '{done} sur {total} envoyés', upload_progress_label: 'Progression de l’envoi',
  upload_done: '{count} fichier(s), {total}, envoyé(s)',
  upload_interrupted: 'L’envoi a été interrompu (connexion perdue). Veuillez renvoyer le formulaire.',
  upload_stalled: 'L’envoi s’est arrêté : le serveur ne répond pas. Veuillez renvoyer le formulaire.',
  upload_one: 'Veuillez choisir un seul fichier.', upload_too_big: '{name} fait {size}, au-delà de la limite de {limit} par fichier.',
  upload_too_much: 'Les fichiers font {size} ensemble, au-delà de la limite de {limit}.',
});
addMessages('es', {
  upload_progress: '{done} de {total} subidos', upload_progress_label: 'Progreso de la subida',
  upload_done: '{count} archivo(s), {total}, subido(s)',
  upload_interrupted: 'La subida se interrumpió (se perdió la conexión). Envía el formulario de nuevo.',
  upload_stalled: 'La subida se detuvo: el servidor no responde. Envía el formulario de nuevo.',
  upload_one: 'Elige un solo archivo.', upload_too_big: '{name} ocupa {size}, más del límite de {limit} por archivo.',
  upload_too_much: 'Los archivos ocupan {size} en total, más del límite de {limit}.',
});

/** @type {Map<string, UploadState>} */
const uploads = new Map();

class UploadError extends Error {}

/**
 * `1536` → `"1.5 KB"`.
 * @param {number} size
 * @returns {string}
 */
export function formatSize(size) {
  let value = size;
  for (const unit of ['bytes', 'KB', 'MB', 'GB']) {
    if (value < 1024 || unit === 'GB') return unit === 'bytes' ? `${size} bytes` : `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
    value /= 1024;
  }
  return `${size} bytes`;
}

/** @returns {string} an unguessable upload id */
function newUploadId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, /** @type {any} */ (bytes.subarray(i, i + 0x8000)));
  }
  return btoa(text);
}

/**
 * Send an event now on the connection the upload began on; false when that
 * connection is gone (chunks sent on it may be lost: the upload is over).
 * @param {App} app
 * @param {unknown} transport the connection the upload began on
 * @param {import('webio/transport.js').ClientEvent} event
 * @returns {boolean}
 */
function sendNow(app, transport, event) {
  if (app.session.state !== 'open' || app.session.transport !== transport) return false;
  app.send(event);
  return true;
}

/**
 * Wait until `ready()` holds, failing on an error from the server, a dropped
 * connection or a stall.
 * @param {App} app
 * @param {unknown} transport the connection the upload began on
 * @param {UploadState} state
 * @param {() => boolean} ready
 * @returns {Promise<void>}
 */
function until(app, transport, state, ready) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (state.error !== null) return finish(new UploadError(state.error));
      if (ready()) return finish(null);
      if (app.session.state !== 'open' || app.session.transport !== transport) {
        return finish(new UploadError(t('upload_interrupted')));
      }
      if (Date.now() - state.lastProgress > STALL_MS) return finish(new UploadError(t('upload_stalled')));
      return undefined;
    };
    const timer = setInterval(check, POLL_MS);
    /** @param {Error | null} error */
    const finish = (error) => {
      clearInterval(timer);
      state.wake = null;
      if (error) reject(error);
      else resolve();
    };
    state.wake = check;
    check();
  });
}

/**
 * Upload `files` for the item `name` of the form `taskId` (`"pin"` for a pin).
 * @param {App} app
 * @param {string} taskId
 * @param {string} name
 * @param {File[]} files
 * @param {number} chunkSize bytes of file per chunk
 * @param {(received: number, total: number) => void} onProgress
 * @returns {Promise<{uploadId: string} | {error: string}>}
 */
export async function uploadFiles(app, taskId, name, files, chunkSize, onProgress) {
  const uploadId = newUploadId();
  const total = files.reduce((sum, file) => sum + file.size, 0);
  /** @type {UploadState} */
  const state = { received: 0, total, error: null, started: false, lastProgress: Date.now(), wake: null };
  uploads.set(uploadId, state);
  const transport = app.session.transport;
  try {
    const described = files.map((file) => ({
      filename: file.name, size: file.size, mime_type: file.type, last_modified: file.lastModified / 1000,
    }));
    if (!sendNow(app, transport, { event: 'upload', task_id: taskId, data: { op: 'start', upload_id: uploadId, name, files: described } })) {
      throw new UploadError(t('upload_interrupted'));
    }
    await until(app, transport, state, () => state.started);
    let sent = 0;
    for (let index = 0; index < files.length; index += 1) {
      const file = files[index];
      for (let offset = 0; offset < file.size; offset += chunkSize) {
        await until(app, transport, state, () => sent - state.received < WINDOW_CHUNKS * chunkSize);
        const bytes = new Uint8Array(await file.slice(offset, offset + chunkSize).arrayBuffer());
        const chunk = { op: 'chunk', upload_id: uploadId, file: index, offset, data: toBase64(bytes) };
        if (!sendNow(app, transport, { event: 'upload', task_id: taskId, data: chunk })) throw new UploadError(t('upload_interrupted'));
        sent += bytes.length;
        onProgress(state.received, total);
      }
    }
    await until(app, transport, state, () => state.received >= total);
    onProgress(total, total);
    return { uploadId };
  } catch (err) {
    if (!(err instanceof UploadError)) console.error('webio: an upload failed', err);
    sendNow(app, app.session.transport, { event: 'upload', task_id: taskId, data: { op: 'abort', upload_id: uploadId } });
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    uploads.delete(uploadId);
  }
}

/**
 * The limit a choice of files breaks, for the visitor (the server checks again).
 * @param {File[]} files
 * @param {Record<string, any>} spec
 * @returns {string | null}
 */
function limitProblem(files, spec) {
  if (files.length > 1 && !spec.multiple) return t('upload_one');
  const perFile = Number(spec.max_size) || Infinity;
  for (const file of files) {
    if (file.size > perFile) return t('upload_too_big', { name: file.name, size: formatSize(file.size), limit: formatSize(perFile) });
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const limit = Number(spec.max_total_size) || Infinity;
  if (total > limit) return t('upload_too_much', { size: formatSize(total), limit: formatSize(limit) });
  return null;
}

/**
 * @param {File[]} a
 * @param {File[]} b
 * @returns {boolean}
 */
function sameFiles(a, b) {
  return a.length === b.length && a.every((file, i) => file === b[i]);
}

registerInputItem('file', (spec, ctx) => {
  const input = /** @type {HTMLInputElement} */ (h('input', {
    type: 'file',
    id: ctx.id,
    name: spec.name,
    class: 'webio-file',
    accept: typeof spec.accept === 'string' && spec.accept ? spec.accept : null,
    multiple: Boolean(spec.multiple),
    required: Boolean(spec.required),
    disabled: Boolean(spec.disabled) || Boolean(spec.readonly),
  }));
  const chosen = h('div', { class: 'webio-upload-chosen' });
  const progress = /** @type {HTMLProgressElement} */ (h('progress', {
    class: 'webio-upload-progress', max: '1', value: '0', hidden: true, 'aria-label': t('upload_progress_label'),
  }));
  const status = h('div', { class: 'webio-upload-status', role: 'status' });
  let placeholder = typeof spec.placeholder === 'string' ? spec.placeholder : '';
  const chunkSize = Number(spec.chunk_size) > 0 ? Number(spec.chunk_size) : 1024 * 1024;
  /** @type {{files: File[], uploadId: string} | null} */
  let done = null;

  function showChoice() {
    const files = [...(input.files || [])];
    chosen.textContent = files.length
      ? files.map((file) => `${file.name} (${formatSize(file.size)})`).join(', ')
      : placeholder;
    chosen.classList.toggle('webio-upload-empty', !files.length);
  }

  input.addEventListener('change', () => {
    done = null;
    status.textContent = '';
    showChoice();
    ctx.setValidity(0);
    ctx.emit('change');
  });
  showChoice();

  return {
    element: h('div', { class: 'webio-upload' }, input, chosen, progress, status),
    control: input,
    getValue: () => (done ? { upload_id: done.uploadId } : null),
    setValue() {
      // A page cannot choose files for the visitor.
    },
    update(attrs) {
      if ('disabled' in attrs || 'readonly' in attrs) input.disabled = Boolean(attrs.disabled) || Boolean(attrs.readonly);
      if (typeof attrs.placeholder === 'string') {
        placeholder = attrs.placeholder;
        showChoice();
      }
    },
    reset() {
      done = null;
      status.textContent = '';
      showChoice();
    },
    async prepare() {
      const files = [...(input.files || [])];
      if (!files.length) {
        done = null;
        return true;
      }
      if (done && sameFiles(done.files, files)) return true;
      const problem = limitProblem(files, spec);
      if (problem) {
        ctx.setValidity(false, problem);
        return false;
      }
      ctx.setValidity(0);
      progress.hidden = false;
      progress.value = 0;
      input.disabled = true;
      const result = await uploadFiles(ctx.app, ctx.formId, String(spec.name), files, chunkSize, (received, total) => {
        progress.value = total ? received / total : 1;
        status.textContent = t('upload_progress', { done: formatSize(received), total: formatSize(total) });
      });
      input.disabled = Boolean(spec.disabled) || Boolean(spec.readonly);
      progress.hidden = true;
      if ('error' in result) {
        status.textContent = '';
        ctx.setValidity(false, result.error);
        return false;
      }
      const total = files.reduce((sum, file) => sum + file.size, 0);
      status.textContent = t('upload_done', { count: files.length, total: formatSize(total) });
      done = { files, uploadId: result.uploadId };
      return true;
    },
  };
});

/**
 * Register `upload_ack`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('upload_ack', (spec) => {
    if (!spec || typeof spec !== 'object' || typeof spec.upload_id !== 'string') return;
    const state = uploads.get(spec.upload_id);
    if (!state) return;
    if (typeof spec.error === 'string') state.error = spec.error;
    else {
      state.started = true;
      state.received = Math.max(state.received, Number(spec.received) || 0);
      state.lastProgress = Date.now();
    }
    if (state.wake) state.wake();
  });
}

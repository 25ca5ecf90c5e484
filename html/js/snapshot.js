/**
 * `snapshot`: the whole page in one command, sent when a client attaches fresh
 * or missed more than the server kept. Clears ROOT and the forms, renders the
 * scopes (a `scope` output's children come from `spec.scopes[name]`), reopens
 * the forms with their values and errors, applies `spec.env`. What the visitor
 * had typed into a form that is still open is kept.
 * @module webio/snapshot
 */
import { applyEnv, env } from 'webio/env.js';
import { closePopup, openPopup } from 'webio/out_popup.js';
import { createContext } from 'webio/outputs.js';
import { restorePins } from 'webio/pins.js';

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {import('webio/outputs.js').OutputSpec} OutputSpec
 * @typedef {Object} SnapshotForm
 * @property {string} task_id
 * @property {import('webio/forms.js').FormSpec} spec
 * @property {Record<string, unknown>} [values]
 * @property {Record<string, unknown>} [errors]
 * @typedef {Object} SnapshotSpec
 * @property {Record<string, OutputSpec[]>} [scopes]
 * @property {SnapshotForm[]} [forms]
 * @property {Record<string, unknown>} [env]
 * @property {Record<string, any> | null} [popup] the open popup (its content scope is in `scopes`)
 * @property {Record<string, unknown>} [pins] pin name → the value its widget shows
 */

/**
 * Replace the page with a snapshot.
 * @param {App} app
 * @param {SnapshotSpec} spec
 */
export function applySnapshot(app, spec) {
  const typed = app.forms.currentValues();
  app.forms.clear();
  app.scopes.reset();
  if (spec.env && typeof spec.env === 'object') applyEnv(spec.env, app);

  const scopes = spec.scopes && typeof spec.scopes === 'object' ? spec.scopes : {};
  const ctx = createContext(app, scopes);
  for (const child of ctx.scopeContents('ROOT') || []) app.scopes.root.append(ctx.render(child));
  closePopup();
  if (spec.popup && typeof spec.popup === 'object') openPopup(app, spec.popup, ctx);
  restorePins(spec.pins);

  for (const entry of Array.isArray(spec.forms) ? spec.forms : []) {
    if (!entry || typeof entry.task_id !== 'string') continue;
    const form = app.forms.open(entry.task_id, entry.spec, { focus: false });
    form.restore({ ...(entry.values || {}), ...(typed.get(entry.task_id) || {}) }, entry.errors);
  }
  const top = app.forms.get(null);
  const active = document.activeElement;
  if (top && env.input_auto_focus && (!active || active === document.body)) top.focusFirst();
}

/**
 * Register `snapshot`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('snapshot', (spec) => applySnapshot(app, spec && typeof spec === 'object' ? spec : {}));
}

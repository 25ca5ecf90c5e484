/**
 * Wiring: builds the client from its modules and connects the session's
 * state to what the visitor sees.
 *
 * Each module that owns commands exports `install(app)` and registers them on
 * `app.dispatcher` (which refuses a second handler for a command). A later
 * widget family does the same from its own module, imported by `main.js`.
 * @module webio/app
 */
import { Dispatcher } from 'webio/dispatcher.js';
import * as downloadModule from 'webio/download.js';
import * as envModule from 'webio/env.js';
import * as formsModule from 'webio/forms.js';
// Input item families (register themselves); uploads and pins also own commands.
import 'webio/in_actions.js';
import 'webio/in_choice.js';
import 'webio/in_slider.js';
import 'webio/in_textarea.js';
import * as uploadModule from 'webio/in_upload.js';
import * as pinsModule from 'webio/pins.js';
import { Notifier } from 'webio/notify.js';
import * as notifyModule from 'webio/notify.js';
import * as datatableModule from 'webio/out_datatable.js';
import * as feedbackModule from 'webio/out_feedback.js';
import * as popupModule from 'webio/out_popup.js';
import * as outputsModule from 'webio/outputs.js';
import { Scopes } from 'webio/scopes.js';
import * as scopesModule from 'webio/scopes.js';
import * as scriptModule from 'webio/script.js';
import { Session } from 'webio/session.js';
import * as snapshotModule from 'webio/snapshot.js';
import { pickTransport } from 'webio/transport.js';

/**
 * The client, as the modules see it.
 * @typedef {Object} App
 * @property {import('webio/config.js').Config} config
 * @property {Dispatcher} dispatcher command name → handler
 * @property {(event: import('webio/transport.js').ClientEvent) => void} send
 *   send an event (queued while reconnecting, dropped once the session is over)
 * @property {HTMLElement} root the ROOT scope element
 * @property {HTMLElement} panel the input panel
 * @property {Scopes} scopes
 * @property {import('webio/forms.js').Forms} forms
 * @property {Notifier} notify
 * @property {Session} session
 */

/**
 * An element of the page template, or a new one appended to `parent`.
 * @param {string} id
 * @param {() => HTMLElement} make
 * @returns {HTMLElement}
 */
function element(id, make) {
  const found = document.getElementById(id);
  if (found) return found;
  const el = make();
  el.id = id;
  document.body.append(el);
  return el;
}

/**
 * Build the client (not yet connected: call `app.session.start()`).
 * @param {import('webio/config.js').Config} config
 * @returns {App}
 */
export function createApp(config) {
  const root = element('pywebio-scope-ROOT', () => document.createElement('div'));
  const panel = element('webio-input-panel', () => document.createElement('div'));
  const banner = element('webio-status', () => {
    const el = document.createElement('div');
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    el.hidden = true;
    return el;
  });
  const dispatcher = new Dispatcher();
  const { factory } = pickTransport(config.transports);

  /** @type {App} */
  const app = /** @type {any} */ ({ config, dispatcher, root, panel });
  app.scopes = new Scopes(root);
  app.notify = new Notifier(banner);
  app.forms = new formsModule.Forms(app);
  app.session = new Session({
    app: config.app,
    transport: factory,
    apply: (command) => {
      if (config.debug) console.debug('webio ←', command);
      dispatcher.dispatch(command);
    },
    onState: (state, detail) => showState(app, state, detail),
    storage: config.reconnect && config.resume_on_reload ? sessionStorage : null,
    maxMessageBytes: config.max_message_bytes,
  });
  app.send = (event) => {
    if (config.debug) console.debug('webio →', event);
    app.session.send(event);
  };

  app.session.install(dispatcher);
  for (const module of [outputsModule, scopesModule, formsModule, envModule, scriptModule, downloadModule, notifyModule, snapshotModule,
    feedbackModule, popupModule, datatableModule, uploadModule, pinsModule]) {
    module.install(app);
  }
  return app;
}

/**
 * Reflect the session state on the page.
 * @param {App} app
 * @param {import('webio/session.js').SessionState} state
 * @param {import('webio/session.js').StateDetail} detail
 */
function showState(app, state, detail) {
  document.documentElement.dataset.webioSession = state;
  if (state === 'open') {
    app.notify.status(null);
  } else if (state === 'reconnecting') {
    if (!detail.quiet) app.notify.status('reconnecting');
  } else if (state === 'lost' || state === 'ended') {
    app.notify.status(state);
    app.forms.disableAll();
    for (const button of document.querySelectorAll('[data-webio-callback]')) {
      /** @type {HTMLButtonElement} */ (button).disabled = true;
    }
  }
}

/**
 * Pin widgets: outputs of type `pin` that hold an input item
 * (`{type: "pin", input: ItemSpec}`), and the `pin_update` command.
 *
 * A pin widget is a {@link Field} outside any form. Every change of its value
 * is sent at once as `{"event": "pin_change", "task_id": "pin", "data":
 * {"name", "value"}}`, so the server always knows what the page shows (it reads
 * pins from its own state, without asking the page). A file widget uploads the
 * chosen files first and then sends the upload as its value. The newest widget
 * of a name is the one `pin_update` and snapshots address.
 * @module webio/pins
 */
import { uid } from 'webio/dom.js';
import { Field } from 'webio/inputs.js';
import { registerOutput } from 'webio/outputs.js';

/**
 * @typedef {import('webio/app.js').App} App
 */

/** The newest widget of each pin name. @type {Map<string, Field>} */
const pins = new Map();

/**
 * Send the widget's value (after uploading its files, for a file widget).
 * @param {App} app
 * @param {Field} field
 */
async function report(app, field) {
  if (field.item.prepare && !(await field.item.prepare())) return;
  app.send({ event: 'pin_change', task_id: 'pin', data: { name: field.name, value: field.getValue() } });
}

registerOutput('pin', (spec, ctx) => {
  const itemSpec = spec.input && typeof spec.input === 'object' ? spec.input : { type: 'text', name: '' };
  /** @type {Field} */
  let field;
  field = new Field(itemSpec, {
    id: uid('webio-pin'),
    formId: 'pin',
    app: ctx.app,
    last: false,
    pin: true,
    emit: (eventName) => {
      if (eventName === 'change' && field.name) report(ctx.app, field);
    },
    submit: () => {},
    cancel: () => {},
    reset: () => {},
    setValidity: (status, message) => field.setValidity(status, message),
  });
  field.element.classList.add('webio-pin');
  field.element.dataset.webioPin = field.name;
  if (field.name) pins.set(field.name, field);
  return field.element;
});

/**
 * Put back pin values (after a snapshot rendered the page).
 * @param {unknown} values name → value
 */
export function restorePins(values) {
  if (!values || typeof values !== 'object') return;
  for (const [name, value] of Object.entries(values)) {
    const field = pins.get(name);
    if (field && field.element.isConnected) field.setValue(value);
  }
}

/**
 * Register `pin_update`: `{name, attributes}`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('pin_update', (spec) => {
    if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string') return;
    const field = pins.get(spec.name);
    if (field && spec.attributes && typeof spec.attributes === 'object') field.update(spec.attributes);
  });
}

/**
 * Forms: `input_group` (and PyWebIO's single `input`), `update_input`,
 * `destroy_form`.
 *
 * Forms live in the input panel below the outputs. Several may be open at once
 * (e.g. inputs from two threads); the newest one is shown and the one before
 * it comes back when it is destroyed. A form stays until the server sends
 * `destroy_form`. Item types come from `webio/inputs.js`.
 *
 * Events sent: `from_submit` (Submit or Enter, after the browser's own checks
 * of required/number fields, and after the chosen files were uploaded),
 * `from_cancel` (Cancel or Esc, cancelable forms and forms with a cancel
 * button), `input_event` with `event_name: "blur"` when a field loses focus and
 * `"change"` when a field with an `onchange` callback, a select, checkbox or
 * radio changes.
 * @module webio/forms
 */
import { h, uid } from 'webio/dom.js';
import { env } from 'webio/env.js';
import { t } from 'webio/i18n.js';
import { Field } from 'webio/inputs.js';
import { buttonClass } from 'webio/outputs.js';

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {import('webio/inputs.js').ItemSpec} ItemSpec
 * @typedef {{label?: string, inputs?: ItemSpec[], cancelable?: boolean}} FormSpec
 */

/** Two submits of the same values closer than this are one double click. */
const DOUBLE_SUBMIT_MS = 600;

/** Item types whose every change is reported (so the page model knows the choice). */
const CHOICE_TYPES = new Set(['select', 'checkbox', 'radio']);

export class Form {
  /**
   * @param {string} taskId
   * @param {FormSpec} spec
   * @param {App} app
   */
  constructor(taskId, spec, app) {
    this.taskId = taskId;
    this.spec = spec;
    this.app = app;
    this.cancelable = Boolean(spec.cancelable);
    this.closed = false;
    this.disabled = false;
    this.busy = false;
    this.hasCancelButton = false;
    this._lastSubmit = 0;
    /** @type {string | undefined} what the last submit sent, to tell a double click from a new entry */
    this._lastTyped = undefined;
    const domId = uid('webio-form');
    const label = spec.label ? String(spec.label) : '';
    this.element = /** @type {HTMLFormElement} */ (h('form', {
      class: 'webio-form',
      id: domId,
      'aria-labelledby': label ? `${domId}-title` : null,
      'data-webio-form': taskId,
    }));
    if (label) this.element.append(h('h2', { class: 'webio-form-title', id: `${domId}-title` }, label));

    /** @type {Map<string, Field>} */
    this.fields = new Map();
    /** @type {Field[]} */
    this.fieldList = [];
    let replacesButtons = false;
    const items = Array.isArray(spec.inputs) ? spec.inputs : [];
    items.forEach((itemSpec, index) => {
      if (!itemSpec || typeof itemSpec !== 'object') return;
      const name = typeof itemSpec.name === 'string' ? itemSpec.name : '';
      const field = new Field(itemSpec, {
        id: `${domId}-${index}`,
        formId: taskId,
        app,
        last: index === items.length - 1,
        pin: false,
        emit: (eventName) => this.emit(eventName, field),
        submit: () => this.element.requestSubmit(),
        cancel: () => this.cancel(true),
        reset: () => this.element.reset(),
        setValidity: (status, message) => field.setValidity(status, message),
      }, label);
      this.fieldList.push(field);
      if (name) this.fields.set(name, field);
      if (field.item.replacesButtons) replacesButtons = true;
      if (itemSpec.type === 'actions' && Array.isArray(itemSpec.buttons)
        && itemSpec.buttons.some((b) => b && b.type === 'cancel')) this.hasCancelButton = true;
      this.element.append(field.element);
    });

    if (replacesButtons) {
      // Enter still submits: implicit submission needs a submit button.
      this.element.append(h('button', { type: 'submit', hidden: true, tabindex: '-1', 'aria-hidden': 'true' }));
    } else {
      const actions = h('div', { class: 'webio-form-actions' },
        h('button', { type: 'submit', class: buttonClass('primary') }, t('submit')),
        h('button', { type: 'reset', class: buttonClass('secondary', { outline: true }) }, t('reset')));
      if (this.cancelable) {
        actions.append(h('button', {
          type: 'button',
          class: buttonClass('secondary', { link_style: true }),
          onclick: () => this.cancel(),
        }, t('cancel')));
      }
      this.element.append(actions);
    }

    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.element.addEventListener('reset', () => {
      setTimeout(() => this.fieldList.forEach((field) => field.reset()), 0);
    });
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && (this.cancelable || this.hasCancelButton) && !event.defaultPrevented) {
        event.preventDefault();
        this.cancel();
      }
    });
  }

  /** @returns {Record<string, unknown>} name → value, numbers for number/float items */
  values() {
    /** @type {Record<string, unknown>} */
    const data = {};
    for (const [name, field] of this.fields) {
      if (!field.item.noValue) data[name] = field.getValue();
    }
    return data;
  }

  /**
   * Send `from_submit` (the browser's constraint checks have passed), once
   * every item is ready (chosen files uploaded).
   */
  async submit() {
    if (this.closed || this.disabled || this.busy) return;
    const now = Date.now();
    const typed = JSON.stringify(this.values());
    if (now - this._lastSubmit < DOUBLE_SUBMIT_MS && typed === this._lastTyped) return;
    this._lastSubmit = now;
    this._lastTyped = typed;
    this.busy = true;
    this.element.setAttribute('aria-busy', 'true');
    try {
      for (const field of this.fieldList) {
        if (field.item.prepare && !(await field.item.prepare())) {
          this._lastSubmit = 0; // nothing was sent: the next submit is not a double click
          return;
        }
        if (this.closed) return;
      }
      this.app.send({ event: 'from_submit', task_id: this.taskId, data: this.values() });
    } finally {
      this.busy = false;
      this.element.removeAttribute('aria-busy');
      for (const field of this.fieldList) if (field.item.submitted) field.item.submitted();
    }
  }

  /**
   * Send `from_cancel`.
   * @param {boolean} [byButton] a cancel button of an `actions` item (the
   *   server accepts it even when the form is not `cancelable`)
   */
  cancel(byButton = false) {
    if (this.closed || this.disabled || !(this.cancelable || byButton || this.hasCancelButton)) return;
    this.app.send({ event: 'from_cancel', task_id: this.taskId, data: null });
  }

  /**
   * Send an `input_event` about a field.
   * @param {string} eventName
   * @param {Field} field
   */
  emit(eventName, field) {
    if (this.closed || this.disabled || !field.name || field.item.noValue) return;
    if (eventName === 'change' && !field.spec.onchange && !CHOICE_TYPES.has(String(field.spec.type))) return;
    this.app.send({
      event: 'input_event',
      task_id: this.taskId,
      data: { event_name: eventName, name: field.name, value: field.getValue() },
    });
  }

  /**
   * `update_input`: `{target_name, attributes}`.
   * @param {{target_name?: string, attributes?: Record<string, unknown>}} spec
   */
  updateInput(spec) {
    const field = spec && typeof spec.target_name === 'string' ? this.fields.get(spec.target_name) : undefined;
    if (!field) {
      console.warn('webio: update_input for an unknown field', spec && spec.target_name);
      return;
    }
    this._lastSubmit = 0; // the server answered: a new submit is not a double click
    field.update(spec.attributes || {});
  }

  /**
   * Put back typed values and shown errors (after a snapshot).
   * @param {Record<string, unknown> | undefined} values
   * @param {Record<string, unknown> | undefined} errors name → message, or name → update_input attributes
   */
  restore(values, errors) {
    for (const [name, value] of Object.entries(values || {})) {
      const field = this.fields.get(name);
      if (field) field.setValue(value);
    }
    for (const [name, error] of Object.entries(errors || {})) {
      const field = this.fields.get(name);
      if (!field || error === null || error === undefined || error === '') continue;
      if (typeof error === 'object') field.update(/** @type {Record<string, unknown>} */ (error));
      else field.setValidity(false, error);
    }
  }

  /** Move focus to the first field that takes input. */
  focusFirst() {
    const field = this.fieldList.find((f) => f.focusable);
    if (field) field.focus();
  }

  /** Make the form inert (the session is over). */
  disable() {
    this.disabled = true;
    this.element.classList.add('webio-form-disabled');
    for (const el of this.element.querySelectorAll('button, input, select, textarea')) {
      /** @type {HTMLButtonElement} */ (el).disabled = true;
    }
  }

  destroy() {
    this.closed = true;
    this.element.remove();
  }
}

export class Forms {
  /** @param {App} app */
  constructor(app) {
    this.app = app;
    this.panel = app.panel;
    /** Open forms, oldest first. @type {Map<string, Form>} */
    this.forms = new Map();
  }

  /**
   * Open a form; the newest open form is the one shown.
   * @param {string} taskId
   * @param {FormSpec} spec
   * @param {{focus?: boolean}} [options] focus its first field (default true,
   *   subject to `set_env(input_auto_focus=…)`)
   * @returns {Form}
   */
  open(taskId, spec, { focus = true } = {}) {
    const old = this.forms.get(taskId);
    if (old) {
      old.destroy();
      this.forms.delete(taskId);
    }
    const form = new Form(taskId, spec && typeof spec === 'object' ? spec : {}, this.app);
    this.forms.set(taskId, form);
    this.panel.append(form.element);
    this._refresh();
    if (focus && env.input_auto_focus) form.focusFirst();
    return form;
  }

  /**
   * @param {string | null | undefined} taskId
   * @returns {Form | undefined} the form, or the shown one when `taskId` is empty
   */
  get(taskId) {
    if (taskId) return this.forms.get(taskId);
    return [...this.forms.values()].pop();
  }

  /** @param {string} taskId */
  destroy(taskId) {
    const form = this.forms.get(taskId);
    if (!form) return;
    const hadFocus = form.element.contains(document.activeElement);
    form.destroy();
    this.forms.delete(taskId);
    this._refresh();
    const top = this.get(null);
    if (hadFocus && top && env.input_auto_focus) top.focusFirst();
  }

  /** Close every form (a snapshot reopens what is still open). */
  clear() {
    for (const form of this.forms.values()) form.destroy();
    this.forms.clear();
    this._refresh();
  }

  /** What the visitor has typed in each open form, by task id. @returns {Map<string, Record<string, unknown>>} */
  currentValues() {
    return new Map([...this.forms].map(([taskId, form]) => [taskId, form.values()]));
  }

  /** Disable every open form (the session is over). */
  disableAll() {
    for (const form of this.forms.values()) form.disable();
  }

  _refresh() {
    const list = [...this.forms.values()];
    list.forEach((form, index) => {
      form.element.hidden = index !== list.length - 1;
    });
    this.panel.hidden = list.length === 0;
  }
}

/**
 * Register `input_group`, `input`, `update_input` and `destroy_form`.
 * @param {App} app
 */
export function install(app) {
  const { dispatcher, forms } = app;
  dispatcher.register('input_group', (spec, command) => {
    forms.open(String(command.task_id), spec);
  });
  dispatcher.register('input', (spec, command) => {
    // PyWebIO's older single-input command: the spec is one item.
    const group = spec && Array.isArray(spec.inputs) ? spec : { label: '', cancelable: false, inputs: [spec] };
    forms.open(String(command.task_id), group);
  });
  dispatcher.register('update_input', (spec, command) => {
    const form = forms.get(command.task_id);
    if (form) form.updateInput(spec);
  });
  dispatcher.register('destroy_form', (spec, command) => {
    forms.destroy(String(command.task_id));
  });
}

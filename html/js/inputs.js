/**
 * Input items: a registry keyed by the item `type` of an `input_group`, the
 * built-in types (`text`, `number`, `float`, `password`, `url`, `date`, `time`,
 * `color`, `datetime-local`), and {@link Field}, which wraps any item with its
 * label, help text and validation message. Forms (`webio/forms.js`) and pin
 * widgets (`webio/pins.js`) build their controls from the same items; other
 * families register from their own modules (`in_choice.js`, `in_textarea.js`,
 * `in_slider.js`, `in_actions.js`, `in_upload.js`).
 *
 * Add a type from any module:
 *
 *     import { registerInputItem, applyControlAttributes } from 'webio/inputs.js';
 *     registerInputItem('textarea', (spec, ctx) => {
 *       const area = document.createElement('textarea');
 *       area.id = ctx.id;                      // the field's <label for> points here
 *       area.name = spec.name;
 *       area.value = spec.value ?? '';
 *       area.addEventListener('input', () => ctx.emit('change'));
 *       area.addEventListener('blur', () => ctx.emit('blur'));
 *       return {
 *         element: area,
 *         getValue: () => area.value,
 *         setValue: (v) => { area.value = v ?? ''; },
 *         update: (attrs) => applyControlAttributes(area, attrs),
 *       };
 *     });
 *
 * An item calls `ctx.emit('change')` whenever its value changes and
 * `ctx.emit('blur')` when it loses focus; the form or pin decides what to send.
 * The {@link Field} handles `label`, `help_text`, `valid_status`,
 * `invalid_feedback`, `valid_feedback` (with `aria-invalid` and
 * `aria-describedby`); every other `update_input` attribute goes to the item's
 * `update`. Groups of controls (radio, checkbox) return `labelMode: 'legend'`
 * and get a `<fieldset>` with a `<legend>`; an `actions` item returns
 * `replacesButtons: true` to take the place of Submit/Reset/Cancel.
 * @module webio/inputs
 */
import { h } from 'webio/dom.js';
import { t } from 'webio/i18n.js';

/**
 * @typedef {Record<string, any> & {type: string, name?: string}} ItemSpec
 */

/**
 * What a factory gets besides the spec.
 * @typedef {Object} ItemContext
 * @property {string} id the DOM id of the item's control (`<label for>` points at it)
 * @property {string} formId the form's task id (`"pin"` for pin widgets)
 * @property {import('webio/app.js').App} app the client
 * @property {boolean} last whether the item is the last of its form
 * @property {boolean} pin whether the item is a pin widget (no form around it)
 * @property {(eventName: string) => void} emit report `change` (the value
 *   changed) or `blur` (focus left); the form or pin sends what it needs
 * @property {() => void} submit submit the form (validation included)
 * @property {() => void} cancel cancel the form (an actions `cancel` button)
 * @property {() => void} reset reset the form (an actions `reset` button)
 * @property {(status: unknown, message?: unknown) => void} setValidity show or
 *   clear a message next to the item (`false` invalid, `0` neutral)
 */

/**
 * What a factory returns.
 * @typedef {Object} InputItem
 * @property {HTMLElement} element the item's markup
 * @property {HTMLElement} [control] what gets focus, `aria-invalid` and
 *   `aria-describedby` (default: `element`)
 * @property {() => unknown} getValue the value sent in `from_submit`
 * @property {(value: unknown) => void} setValue
 * @property {(attrs: Record<string, unknown>) => void} [update] item attributes of `update_input`
 * @property {() => void} [focus]
 * @property {() => void} [reset] called after the form's Reset (native controls reset themselves)
 * @property {'label' | 'legend' | 'none'} [labelMode] default `'label'`
 * @property {boolean} [replacesButtons] the form then shows no default buttons
 * @property {boolean} [noValue] leave it out of `from_submit`
 * @property {boolean} [skipFocus] never the field a form focuses first (buttons)
 * @property {string} [describedBy] id of the item's own description (e.g. a
 *   keyboard hint), listed first in the control's `aria-describedby`
 * @property {() => Promise<boolean>} [prepare] runs before the value is sent
 *   (uploads the chosen files); false stops the submit
 * @property {() => void} [submitted] called once the form's values were sent
 */

/** @typedef {(spec: ItemSpec, ctx: ItemContext) => InputItem} ItemFactory */

/** @type {Map<string, ItemFactory>} */
const factories = new Map();

/**
 * Register the factory of an input item type.
 * @param {string} type the item `type` in `input_group` specs
 * @param {ItemFactory} factory
 * @throws {Error} when the type already has a factory
 */
export function registerInputItem(type, factory) {
  if (typeof factory !== 'function') throw new TypeError(`webio: the factory of input "${type}" must be a function`);
  if (factories.has(type)) throw new Error(`webio: input type "${type}" already has a factory`);
  factories.set(type, factory);
}

/**
 * @param {string} type
 * @returns {boolean}
 */
export function hasInputItem(type) {
  return factories.has(type);
}

/**
 * Whether two JSON values are equal (option values sent by the server).
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function sameValue(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => Object.prototype.hasOwnProperty.call(b, key)
    && sameValue(/** @type {any} */ (a)[key], /** @type {any} */ (b)[key]));
}

/**
 * Apply the usual attributes to a native control: `value`, `placeholder`,
 * `readonly`, `disabled`, `required`, `min`, `max`, `step`, `maxlength`,
 * `minlength`, `pattern`. Unknown keys are ignored.
 * @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} control
 * @param {Record<string, unknown>} attrs
 */
export function applyControlAttributes(control, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    switch (key) {
      case 'value':
        control.value = value === null || value === undefined ? '' : String(value);
        break;
      case 'readonly':
        if ('readOnly' in control) control.readOnly = Boolean(value);
        break;
      case 'disabled':
      case 'required':
        control[key] = Boolean(value);
        break;
      case 'placeholder':
      case 'min':
      case 'max':
      case 'step':
      case 'maxlength':
      case 'minlength':
      case 'pattern':
        if (value === null || value === undefined || value === false) control.removeAttribute(key);
        else control.setAttribute(key, String(value));
        break;
      default:
        break;
    }
  }
}

/**
 * A factory for the `<input>`-based items.
 * @param {string} inputType the HTML input type
 * @param {'int' | 'float' | null} numeric
 * @returns {ItemFactory}
 */
function nativeInput(inputType, numeric) {
  return (spec, ctx) => {
    const input = /** @type {HTMLInputElement} */ (h('input', {
      type: inputType,
      id: ctx.id,
      name: spec.name,
      class: 'webio-input',
      autocomplete: inputType === 'password' ? 'current-password' : spec.autocomplete,
    }));
    /** @type {Record<string, unknown>} */
    const attrs = {};
    for (const key of ['placeholder', 'required', 'readonly', 'disabled', 'min', 'max', 'step', 'maxlength', 'minlength', 'pattern']) {
      if (spec[key] !== undefined && spec[key] !== null) attrs[key] = spec[key];
    }
    applyControlAttributes(input, attrs);
    if (numeric === 'int') {
      if (!('step' in attrs)) input.step = '1';
      input.inputMode = 'numeric';
    } else if (numeric === 'float') {
      if (!('step' in attrs)) input.step = 'any';
      input.inputMode = 'decimal';
    }
    const value = spec.value;
    input.defaultValue = value === null || value === undefined ? '' : String(value); // what Reset goes back to
    /** @type {HTMLElement} */
    let element = input;
    if (Array.isArray(spec.datalist) && spec.datalist.length) {
      const list = h('datalist', { id: `${ctx.id}-list` }, ...spec.datalist.map((option) => h('option', { value: String(option) })));
      input.setAttribute('list', list.id);
      element = h('div', { class: 'webio-input-wrap' }, input, list);
    }
    const action = spec.action && typeof spec.action === 'object' ? spec.action : null;
    if (action && typeof action.callback_id === 'string') {
      // A side button (`input(action=(label, callback))`): the server fills the field.
      const button = h('button', {
        type: 'button',
        class: 'webio-btn webio-btn-secondary webio-btn-outline webio-input-action',
        'aria-controls': ctx.id,
        onclick: () => ctx.app.send({ event: 'callback', task_id: action.callback_id, data: null }),
      }, String(action.label ?? ''));
      element = h('div', { class: 'webio-input-group' }, element, button);
    }
    return item(element);

    /**
     * @param {HTMLElement} element
     * @returns {InputItem}
     */
    function item(element) {
      input.addEventListener('input', () => ctx.emit('change'));
      input.addEventListener('blur', () => ctx.emit('blur'));
      return {
        element,
        control: input,
        getValue() {
          if (!numeric) return input.value;
          if (input.value.trim() === '') return null;
          const number = input.valueAsNumber;
          return Number.isFinite(number) ? number : null;
        },
        setValue(v) {
          input.value = v === null || v === undefined ? '' : String(v);
        },
        update(attrs) {
          applyControlAttributes(input, attrs);
        },
      };
    }
  };
}

registerInputItem('text', nativeInput('text', null));
registerInputItem('password', nativeInput('password', null));
registerInputItem('number', nativeInput('number', 'int'));
registerInputItem('float', nativeInput('number', 'float'));
for (const type of ['url', 'date', 'time', 'color', 'datetime-local']) registerInputItem(type, nativeInput(type, null));

/** @type {ItemFactory} */
function unsupportedItem(spec) {
  const note = h('div', { class: 'webio-unsupported', role: 'note' },
    t('unsupported_input', { type: String(spec.type) }), spec.label ? ` (${spec.label})` : '');
  return { element: note, getValue: () => null, setValue() {}, labelMode: 'none' };
}

/**
 * One form field: an item with its label, help text and validation message.
 */
export class Field {
  /**
   * @param {ItemSpec} spec
   * @param {ItemContext} ctx
   * @param {string} [fallbackLabel] accessible name when `spec.label` is empty
   */
  constructor(spec, ctx, fallbackLabel = '') {
    this.spec = spec;
    this.name = typeof spec.name === 'string' ? spec.name : '';
    this.id = ctx.id;
    const factory = factories.get(String(spec.type));
    if (!factory) console.warn(`webio: no input item type "${spec.type}"`);
    /** @type {InputItem} */
    this.item = (factory || unsupportedItem)(spec, ctx);
    this.control = this.item.control || this.item.element;
    this.fallbackLabel = fallbackLabel;
    this.label = '';
    this.required = Boolean(spec.required);
    const mode = this.item.labelMode || 'label';
    this.element = h(mode === 'legend' ? 'fieldset' : 'div', { class: ['webio-field', `webio-field-${String(spec.type)}`] });
    /** @type {HTMLElement | null} */
    this.labelEl = null;
    // The required mark sits beside the <label>, not in it, so the label's text
    // (and the control's accessible name) is exactly the app's label.
    this.requiredEl = h('span', { class: 'webio-required', 'aria-hidden': 'true' }, '*');
    if (mode === 'legend') this.labelEl = h('legend', { class: 'webio-label' });
    else if (mode === 'label') this.labelEl = h('label', { class: 'webio-label', for: this.id });
    this.helpEl = h('div', { class: 'webio-help', id: `${this.id}-help` });
    this.feedbackEl = h('div', { class: 'webio-feedback', id: `${this.id}-feedback`, 'aria-live': 'polite' });
    if (mode === 'label' && this.labelEl) {
      this.element.append(h('div', { class: 'webio-label-line' }, this.labelEl, this.requiredEl));
    } else if (this.labelEl) {
      this.element.append(this.labelEl);
    }
    this.element.append(this.item.element, this.helpEl, this.feedbackEl);
    this.setLabel(spec.label);
    this.setHelp(spec.help_text);
  }

  /** @param {unknown} text */
  setLabel(text) {
    this.label = text === null || text === undefined ? '' : String(text);
    this._renderLabel();
  }

  _renderLabel() {
    if (!this.labelEl) return;
    const visible = this.label !== '';
    this.labelEl.classList.toggle('webio-visually-hidden', !visible);
    const text = visible ? this.label : (this.spec.placeholder ? String(this.spec.placeholder) : this.fallbackLabel || t('input'));
    this.labelEl.replaceChildren(text);
    const marked = visible && this.required;
    if (this.labelEl.tagName === 'LEGEND') {
      if (marked) this.labelEl.append(' ', this.requiredEl);
    } else {
      this.requiredEl.hidden = !marked;
    }
  }

  /** @param {unknown} text */
  setHelp(text) {
    this.helpEl.textContent = text === null || text === undefined ? '' : String(text);
    this._describe();
  }

  /**
   * Show or clear a validation state.
   * @param {unknown} status `true` valid, `false` invalid, `0`/other: neutral
   * @param {unknown} [invalidText]
   * @param {unknown} [validText]
   */
  setValidity(status, invalidText, validText) {
    const field = this.element.classList;
    field.remove('webio-invalid', 'webio-valid');
    this.control.removeAttribute('aria-invalid');
    this.feedbackEl.textContent = '';
    this.feedbackEl.className = 'webio-feedback';
    if (status === false) {
      field.add('webio-invalid');
      this.control.setAttribute('aria-invalid', 'true');
      this.feedbackEl.textContent = invalidText ? String(invalidText) : '';
      this.feedbackEl.classList.add('webio-feedback-invalid');
    } else if (status === true) {
      field.add('webio-valid');
      this.feedbackEl.textContent = validText ? String(validText) : '';
      this.feedbackEl.classList.add('webio-feedback-valid');
    }
    this._describe();
  }

  _describe() {
    const ids = [];
    if (this.item.describedBy) ids.push(this.item.describedBy);
    if (this.helpEl.textContent) ids.push(this.helpEl.id);
    if (this.feedbackEl.textContent) ids.push(this.feedbackEl.id);
    if (ids.length) this.control.setAttribute('aria-describedby', ids.join(' '));
    else this.control.removeAttribute('aria-describedby');
  }

  /**
   * Apply `update_input` attributes.
   * @param {Record<string, unknown>} attrs
   */
  update(attrs) {
    if (!attrs || typeof attrs !== 'object') return;
    const rest = { ...attrs };
    if ('label' in rest) this.setLabel(rest.label);
    if ('help_text' in rest) this.setHelp(rest.help_text);
    if ('required' in rest) {
      this.required = Boolean(rest.required);
      this._renderLabel();
    }
    if ('placeholder' in rest) {
      this.spec = { ...this.spec, placeholder: rest.placeholder };
      this._renderLabel();
    }
    if ('valid_status' in rest) {
      this.setValidity(rest.valid_status, rest.invalid_feedback, rest.valid_feedback);
    } else if ('invalid_feedback' in rest && this.element.classList.contains('webio-invalid')) {
      this.setValidity(false, rest.invalid_feedback);
    }
    for (const key of ['label', 'help_text', 'valid_status', 'invalid_feedback', 'valid_feedback']) delete rest[key];
    if (Object.keys(rest).length && this.item.update) this.item.update(rest);
  }

  /** @returns {unknown} */
  getValue() {
    return this.item.getValue();
  }

  /** @param {unknown} value */
  setValue(value) {
    this.item.setValue(value);
  }

  /** Whether focus may land here (not disabled, not read-only). */
  get focusable() {
    const control = /** @type {HTMLInputElement} */ (this.control);
    return !control.disabled && !control.readOnly && !this.item.noValue && !this.item.skipFocus;
  }

  focus() {
    if (this.item.focus) this.item.focus();
    else this.control.focus();
  }

  reset() {
    if (this.item.reset) this.item.reset();
  }
}

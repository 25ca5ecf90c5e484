/**
 * Choice items: `select` (one or `multiple`), `checkbox` and `radio` groups.
 *
 * Options come as `{label, value, selected?, disabled?}`; a value may be any
 * JSON value. The controls carry the option's index, and the item answers with
 * the option's own value, which the server checks against the options it sent.
 * `update` takes `options` (re-rendered), `value` (chosen by value), and the
 * usual `disabled`, `required`, `readonly`.
 * @module webio/in_choice
 */
import { h } from 'webio/dom.js';
import { applyControlAttributes, registerInputItem, sameValue } from 'webio/inputs.js';

/**
 * @typedef {import('webio/inputs.js').ItemSpec} ItemSpec
 * @typedef {import('webio/inputs.js').ItemContext} ItemContext
 * @typedef {import('webio/inputs.js').InputItem} InputItem
 * @typedef {{label?: unknown, value?: unknown, selected?: boolean, disabled?: boolean}} Option
 */

/**
 * @param {unknown} options
 * @returns {Option[]}
 */
function optionList(options) {
  return Array.isArray(options) ? options.filter((o) => o && typeof o === 'object') : [];
}

/**
 * @param {Option} option
 * @returns {string}
 */
function optionLabel(option) {
  return option.label === null || option.label === undefined ? String(option.value ?? '') : String(option.label);
}

/**
 * Which options hold a value (or one of a list of values).
 * @param {Option[]} options
 * @param {unknown} value
 * @param {boolean} several
 * @returns {boolean[]}
 */
function chosenBy(options, value, several) {
  const wanted = several ? (Array.isArray(value) ? value : []) : [value];
  return options.map((o) => wanted.some((w) => sameValue(w, o.value)));
}

registerInputItem('select', (spec, ctx) => {
  const multiple = Boolean(spec.multiple);
  const select = /** @type {HTMLSelectElement} */ (h('select', {
    id: ctx.id,
    name: spec.name,
    class: ['webio-input', 'webio-select', multiple && 'webio-select-multiple'],
    multiple,
  }));
  /** @type {Option[]} */
  let options = [];

  /** @param {unknown} list */
  function render(list) {
    options = optionList(list);
    select.replaceChildren(...options.map((option, index) => {
      const el = /** @type {HTMLOptionElement} */ (h('option', { value: String(index) }, optionLabel(option)));
      el.defaultSelected = Boolean(option.selected);
      el.selected = Boolean(option.selected);
      el.disabled = Boolean(option.disabled);
      return el;
    }));
    if (multiple) select.size = Math.min(Math.max(options.length, 2), 8);
  }

  render(spec.options);
  applyControlAttributes(select, { required: spec.required, disabled: spec.disabled });
  select.addEventListener('change', () => ctx.emit('change'));
  select.addEventListener('blur', () => ctx.emit('blur'));
  return {
    element: select,
    getValue() {
      const chosen = [...select.selectedOptions].map((o) => options[Number(o.value)]).filter(Boolean);
      if (multiple) return chosen.map((o) => o.value);
      return chosen.length ? chosen[0].value : null;
    },
    setValue(value) {
      const marks = chosenBy(options, value, multiple);
      [...select.options].forEach((el, index) => { el.selected = marks[index]; });
    },
    update(attrs) {
      const { options: list, value, ...rest } = attrs;
      if (list !== undefined) render(list);
      if (value !== undefined) this.setValue(value);
      applyControlAttributes(select, rest);
    },
  };
});

/**
 * A group of check boxes or radio buttons in a `<fieldset>`.
 * @param {'checkbox' | 'radio'} kind
 * @returns {import('webio/inputs.js').ItemFactory}
 */
function group(kind) {
  return (spec, ctx) => {
    const box = h('div', { class: ['webio-choices', spec.inline && 'webio-choices-inline'] });
    /** @type {Option[]} */
    let options = [];
    /** @type {HTMLInputElement[]} */
    let controls = [];
    /** @type {InputItem} */
    const item = {
      element: box,
      control: box,
      labelMode: 'legend',
      getValue() {
        if (kind === 'checkbox') return controls.flatMap((c, i) => (c.checked ? [options[i].value] : []));
        const index = controls.findIndex((c) => c.checked);
        return index < 0 ? null : options[index].value;
      },
      setValue(value) {
        const marks = chosenBy(options, value, kind === 'checkbox');
        controls.forEach((c, i) => { c.checked = marks[i]; });
      },
      update(attrs) {
        const { options: list, value, ...rest } = attrs;
        if (list !== undefined) render(list);
        if (value !== undefined) item.setValue(value);
        for (const control of controls) applyControlAttributes(control, rest);
        if ('readonly' in rest) readonly = Boolean(rest.readonly);
      },
      focus() {
        const target = controls.find((c) => c.checked && !c.disabled) || controls.find((c) => !c.disabled);
        if (target) target.focus();
      },
    };
    let readonly = Boolean(spec.readonly);

    /** @param {unknown} list */
    function render(list) {
      options = optionList(list);
      controls = options.map((option, index) => {
        const input = /** @type {HTMLInputElement} */ (h('input', {
          type: kind,
          id: `${ctx.id}-${index}`,
          name: kind === 'radio' ? ctx.id : spec.name,
          class: `webio-${kind}`,
          value: String(index),
        }));
        input.defaultChecked = Boolean(option.selected);
        input.checked = Boolean(option.selected);
        input.disabled = Boolean(option.disabled) || Boolean(spec.disabled);
        if (kind === 'radio' && spec.required) input.required = true;
        input.addEventListener('click', (event) => { if (readonly) event.preventDefault(); });
        input.addEventListener('change', () => ctx.emit('change'));
        input.addEventListener('blur', () => ctx.emit('blur'));
        return input;
      });
      box.replaceChildren(...controls.map((input, index) => h('label', {
        class: 'webio-choice', for: input.id,
      }, input, h('span', null, optionLabel(options[index])))));
    }

    render(spec.options);
    return item;
  };
}

registerInputItem('checkbox', group('checkbox'));
registerInputItem('radio', group('radio'));

/**
 * `actions` items: a row of buttons. A `submit` button submits the form with
 * its value as the item's value, `reset` resets the form, `cancel` cancels it.
 * Last in a form with a submit button, they replace Submit/Reset/Cancel. As a
 * pin widget (`put_actions`), a click sets the pin's value.
 * @module webio/in_actions
 */
import { h } from 'webio/dom.js';
import { registerInputItem } from 'webio/inputs.js';
import { buttonClass } from 'webio/outputs.js';

registerInputItem('actions', (spec, ctx) => {
  const buttons = Array.isArray(spec.buttons) ? spec.buttons.filter((b) => b && typeof b === 'object') : [];
  const row = h('div', { class: 'webio-actions', role: spec.label ? null : 'group' });
  /** @type {unknown} */
  let pressed = null;
  /** @type {HTMLButtonElement[]} */
  const elements = buttons.map((button) => {
    const type = button.type === 'reset' || button.type === 'cancel' ? button.type : 'submit';
    const el = /** @type {HTMLButtonElement} */ (h('button', {
      type: 'button',
      class: buttonClass(button.color || (type === 'submit' ? 'primary' : 'secondary'),
        { outline: type !== 'submit' && !button.color }),
      disabled: Boolean(button.disabled),
      'data-webio-action': type,
    }, String(button.label ?? '')));
    el.addEventListener('click', () => {
      if (type === 'reset') ctx.reset();
      else if (type === 'cancel') ctx.cancel();
      else {
        pressed = button.value ?? null;
        if (ctx.pin) ctx.emit('change');
        else ctx.submit();
      }
    });
    return el;
  });
  row.append(...elements);
  const hasSubmit = buttons.some((b) => (b.type || 'submit') === 'submit');
  return {
    element: row,
    control: elements[0] || row,
    labelMode: spec.label ? 'legend' : 'none',
    replacesButtons: ctx.last && hasSubmit,
    skipFocus: true,
    getValue: () => pressed,
    setValue(value) {
      pressed = value ?? null;
    },
    update(attrs) {
      if ('disabled' in attrs) for (const el of elements) el.disabled = Boolean(attrs.disabled);
    },
    submitted() {
      if (!ctx.pin) pressed = null;
    },
  };
});

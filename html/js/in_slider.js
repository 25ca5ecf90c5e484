/**
 * `slider` items: an `<input type="range">` with its current value shown beside
 * it. The value is a number (an int unless `spec.float`).
 * @module webio/in_slider
 */
import { h } from 'webio/dom.js';
import { applyControlAttributes, registerInputItem } from 'webio/inputs.js';

registerInputItem('slider', (spec, ctx) => {
  const range = /** @type {HTMLInputElement} */ (h('input', {
    type: 'range',
    id: ctx.id,
    name: spec.name,
    class: 'webio-slider',
  }));
  const shown = h('output', { class: 'webio-slider-value', for: ctx.id, 'aria-hidden': 'true' });
  const isFloat = Boolean(spec.float);

  /** @param {Record<string, unknown>} attrs */
  function apply(attrs) {
    /** @type {Record<string, unknown>} */
    const native = {};
    if (attrs.min_value !== undefined) native.min = attrs.min_value;
    if (attrs.max_value !== undefined) native.max = attrs.max_value;
    for (const key of ['step', 'disabled', 'required']) {
      if (attrs[key] !== undefined) native[key] = attrs[key];
    }
    if ('readonly' in attrs && !('disabled' in attrs)) native.disabled = attrs.readonly; // ranges have no read-only state
    applyControlAttributes(range, native);
  }

  function show() {
    shown.textContent = range.value;
  }

  apply(spec);
  range.defaultValue = String(spec.value ?? 0);
  range.value = String(spec.value ?? 0);
  show();
  range.addEventListener('input', () => {
    show();
    ctx.emit('change');
  });
  range.addEventListener('blur', () => ctx.emit('blur'));
  return {
    element: h('div', { class: 'webio-slider-wrap' }, range, shown),
    control: range,
    getValue() {
      const value = Number(range.value);
      return isFloat ? value : Math.round(value);
    },
    setValue(value) {
      range.value = String(value ?? range.defaultValue);
      show();
    },
    update(attrs) {
      apply(attrs);
      if (attrs.value !== undefined) this.setValue(attrs.value);
      show();
    },
    reset() {
      show();
    },
  };
});

/**
 * Layout outputs: `row`, `column`, `grid`, `collapse`, `scrollable`, `tabs`.
 *
 * Each holds nested output specs (`contents`, or `tabs[].content`) rendered with
 * `ctx.render`. A `null` item of a row, column or grid is an empty cell.
 * CSS sizes from the spec (`size`, `columns`, `rows`) go in through the CSSOM,
 * which drops anything that is not a valid value.
 * @module webio/out_layout
 */
import { h, uid } from 'webio/dom.js';
import { t } from 'webio/i18n.js';
import 'webio/out_i18n.js';
import { registerOutput } from 'webio/outputs.js';

/**
 * @typedef {import('webio/outputs.js').OutputSpec} OutputSpec
 * @typedef {import('webio/outputs.js').OutputContext} OutputContext
 */

/**
 * Append the rendered `items` to `el` (`null` items as empty cells).
 * @param {HTMLElement} el
 * @param {unknown} items
 * @param {OutputContext} ctx
 * @returns {HTMLElement} el
 */
export function renderChildren(el, items, ctx) {
  for (const item of Array.isArray(items) ? items : []) {
    el.append(item && typeof item === 'object' ? ctx.render(/** @type {OutputSpec} */ (item)) : h('div', { class: 'webio-cell-empty' }));
  }
  return el;
}

/**
 * @param {'row' | 'column'} kind
 * @returns {(spec: OutputSpec, ctx: OutputContext) => HTMLElement}
 */
function line(kind) {
  return (spec, ctx) => {
    const el = h('div', { class: `webio-${kind}` });
    if (typeof spec.size === 'string' && spec.size.trim()) {
      if (kind === 'row') el.style.gridTemplateColumns = spec.size;
      else el.style.gridTemplateRows = spec.size;
    }
    return renderChildren(el, spec.contents, ctx);
  };
}

registerOutput('row', line('row'));
registerOutput('column', line('column'));

registerOutput('grid', (spec, ctx) => {
  const el = h('div', { class: 'webio-grid' });
  if (typeof spec.columns === 'string') el.style.gridTemplateColumns = spec.columns;
  if (typeof spec.rows === 'string') el.style.gridTemplateRows = spec.rows;
  el.style.gridAutoFlow = spec.direction === 'column' ? 'column' : 'row';
  return renderChildren(el, spec.contents, ctx);
});

registerOutput('collapse', (spec, ctx) => {
  const body = renderChildren(h('div', { class: 'webio-collapse-body' }), spec.contents, ctx);
  const summary = h('summary', { class: 'webio-collapse-title' }, String(spec.title ?? ''));
  return h('details', { class: 'webio-collapse', open: Boolean(spec.open) }, summary, body);
});

/**
 * A CSS pixel length from a spec number, or '' for none.
 * @param {unknown} value
 * @returns {string}
 */
function px(value) {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? `${value}px` : '';
}

registerOutput('scrollable', (spec, ctx) => {
  const el = h('div', {
    class: ['webio-scrollable', spec.border !== false && 'webio-scrollable-border'],
    tabindex: '0', // lets keyboard users scroll it
    role: 'region',
    'aria-label': t('scrollable'),
  });
  el.style.minHeight = px(spec.min_height);
  el.style.maxHeight = px(spec.max_height);
  renderChildren(el, spec.contents, ctx);
  if (spec.keep_bottom) {
    // Follow new content while the visitor is at the bottom; stop when they scroll up.
    let stuck = true;
    el.addEventListener('scroll', () => {
      stuck = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
    }, { passive: true });
    const follow = () => {
      if (stuck) el.scrollTop = el.scrollHeight;
    };
    new MutationObserver(follow).observe(el, { childList: true, subtree: true, characterData: true });
    requestAnimationFrame(follow);
  }
  return el;
});

registerOutput('tabs', (spec, ctx) => {
  const tabs = Array.isArray(spec.tabs) ? spec.tabs.filter((tab) => tab && typeof tab === 'object') : [];
  const list = h('div', { class: 'webio-tablist', role: 'tablist' });
  const root = h('div', { class: 'webio-tabs' }, list);
  /** @type {HTMLButtonElement[]} */
  const buttons = [];
  /** @type {HTMLElement[]} */
  const panels = [];

  /** @param {number} index */
  const select = (index) => {
    buttons.forEach((button, i) => {
      const active = i === index;
      button.setAttribute('aria-selected', String(active));
      button.tabIndex = active ? 0 : -1;
      panels[i].hidden = !active;
    });
  };

  tabs.forEach((tab, index) => {
    const tabId = uid('webio-tab');
    const panelId = uid('webio-tabpanel');
    const button = /** @type {HTMLButtonElement} */ (h('button', {
      type: 'button', role: 'tab', id: tabId, class: 'webio-tab', 'aria-controls': panelId,
    }, String(tab.title ?? '')));
    button.addEventListener('click', () => select(index));
    button.addEventListener('keydown', (event) => {
      const last = buttons.length - 1;
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      const target = next < 0 ? last : next > last ? 0 : next;
      select(target);
      buttons[target].focus();
    });
    const panel = h('div', { class: 'webio-tabpanel', role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, tabindex: '0' });
    renderChildren(panel, tab.content, ctx);
    buttons.push(button);
    panels.push(panel);
    list.append(button);
    root.append(panel);
  });
  if (buttons.length) select(0);
  return root;
});

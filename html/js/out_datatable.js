/**
 * `datatable` (put_datatable) and the `datatable_update`, `datatable_insert`,
 * `datatable_remove` commands.
 *
 * webio's own table component: records (nested objects become `a.b` columns),
 * sorting by a header click (ascending, descending, off), a filter box, row
 * selection with check boxes (one or several rows) reported with `callback_id`
 * as `{rows: [ids]}` and action buttons as `{rows, btn}`. Only the rows in view
 * are in the DOM (fixed row height, spacer rows above and below), so 10,000
 * rows scroll smoothly. Row ids follow docs/protocol.md: the value at
 * `id_field`, or the spec's `row_ids` (new rows get the numbers after the largest).
 *
 * JSFunctions of `field_args`/`path_args`/`grid_args` (objects tagged with the
 * spec's `js_func_key`) are the app's own code and are compiled with `Function`.
 * @module webio/out_datatable
 */
import { h } from 'webio/dom.js';
import { t } from 'webio/i18n.js';
import 'webio/out_i18n.js';
import { registerOutput } from 'webio/outputs.js';

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {import('webio/outputs.js').OutputSpec} OutputSpec
 * @typedef {import('webio/outputs.js').OutputContext} OutputContext
 * @typedef {{path: string[], key: string, header: string, args: Record<string, any>, width: number}} Column
 * @typedef {{id: unknown, record: any, cells: string[], values: unknown[], search: string}} Row
 */

const OVERSCAN = 8;
const DEFAULT_ROW_HEIGHT = 36;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** @type {Map<string, DataTable>} */
const instances = new Map();

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isPlainObject(value) {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The value at a key path.
 * @param {unknown} record
 * @param {unknown[]} path
 * @returns {unknown}
 */
function at(record, path) {
  let value = record;
  for (const key of path) value = isPlainObject(value) ? value[String(key)] : undefined;
  return value;
}

/**
 * Replace the tagged JSFunction objects inside `value` by functions.
 * @param {unknown} value
 * @param {string} key the table's `js_func_key`
 * @returns {any}
 */
function revive(value, key) {
  if (Array.isArray(value)) return value.map((item) => revive(item, key));
  if (!isPlainObject(value)) return value;
  if (value.__webio_js_function__ === key && typeof value.body === 'string') {
    const params = Array.isArray(value.params) ? value.params.map(String) : [];
    try {
      return new Function(...params, value.body); // the app's own code (JSFunction)
    } catch (err) {
      console.error('webio: a JSFunction of put_datatable does not compile', err);
      return undefined;
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, key)]));
}

/**
 * Column key paths, from `column_order` (a nested object) or the first record.
 * @param {unknown} order
 * @param {unknown} sample
 * @returns {string[][]}
 */
function columnPaths(order, sample) {
  /** @type {string[][]} */
  const paths = [];
  /**
   * @param {unknown} node
   * @param {string[]} prefix
   * @param {boolean} fromOrder
   */
  const walk = (node, prefix, fromOrder) => {
    for (const [key, child] of Object.entries(/** @type {Record<string, unknown>} */ (node))) {
      const path = [...prefix, key];
      if (isPlainObject(child) && (fromOrder || Object.keys(child).length)) walk(child, path, fromOrder);
      else paths.push(path);
    }
  };
  if (isPlainObject(order)) walk(order, [], true);
  else if (isPlainObject(sample)) walk(sample, [], false);
  return paths;
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function display(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * @param {unknown} a
 * @param {unknown} b
 * @returns {number}
 */
function compare(a, b) {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(display(a), display(b));
}

class DataTable {
  /**
   * @param {OutputSpec} spec
   * @param {OutputContext} ctx
   */
  constructor(spec, ctx) {
    this.spec = spec;
    this.ctx = ctx;
    const key = typeof spec.js_func_key === 'string' ? spec.js_func_key : null;
    const fieldArgs = key ? revive(spec.field_args, key) : {};
    const pathArgs = key ? revive(spec.path_args, key) : [];
    this.gridArgs = (key ? revive(spec.grid_args, key) : null) || {};
    this.idField = Array.isArray(spec.id_field) ? spec.id_field : null;
    const rowHeight = Number(this.gridArgs.rowHeight);
    this.rowHeight = Number.isFinite(rowHeight) && rowHeight >= 20 ? rowHeight : DEFAULT_ROW_HEIGHT;
    this.callbackId = typeof spec.callback_id === 'string' ? spec.callback_id : null;
    this.actions = Array.isArray(spec.actions) ? spec.actions : [];
    this.multiple = Boolean(spec.multiple_select);
    this.selectable = Boolean(this.callbackId || typeof this.gridArgs.onSelectionChanged === 'function');
    this.auto = spec.height === 'auto';
    const records = Array.isArray(spec.records) ? spec.records : [];

    /** @type {Column[]} */
    this.columns = columnPaths(spec.column_order, records[0]).map((path) => {
      const args = { ...(isPlainObject(fieldArgs) ? fieldArgs[path[path.length - 1]] : null) };
      for (const entry of Array.isArray(pathArgs) ? pathArgs : []) {
        if (Array.isArray(entry) && Array.isArray(entry[0]) && entry[0].join('\u0000') === path.join('\u0000')) {
          Object.assign(args, entry[1]);
        }
      }
      return { path, key: path.join('.'), header: String(args.headerName ?? path.join('.')), args, width: 0 };
    }).filter((column) => !column.args.hide);

    /** @type {Row[]} */
    this.rows = [];
    /** @type {unknown[]} */
    this.rowIds = Array.isArray(spec.row_ids) ? [...spec.row_ids] : [];
    /** @type {number[]} indices into rows, filtered and sorted */
    this.view = [];
    /** @type {{index: number, dir: 1 | -1} | null} */
    this.sort = null;
    this.filter = '';
    /** @type {Set<unknown>} */
    this.selected = new Set();
    /** @type {HTMLInputElement | null} */
    this.selectAll = null;
    this.frame = 0;
    this.lastWindow = '';
    this.build();
    this.setRecords(records);
    for (const column of this.columns) column.width = this.measure(column);
    this.renderHead();
    this.refresh();
  }

  // ---------------------------------------------------------------- data

  /**
   * @param {any} record
   * @param {unknown} id
   * @returns {Row}
   */
  makeRow(record, id) {
    const values = this.columns.map((column) => at(record, column.path));
    const cells = this.columns.map((column, i) => this.format(column, values[i], record));
    const search = cells.filter((_, i) => this.columns[i].args.filter !== false).join('\u0001').toLowerCase();
    return { id, record, cells, values, search };
  }

  /**
   * @param {Column} column
   * @param {unknown} value
   * @param {unknown} record
   * @returns {string}
   */
  format(column, value, record) {
    const formatter = column.args.valueFormatter;
    if (typeof formatter === 'function') {
      try {
        return display(formatter({ value, data: record, colDef: { field: column.key } }));
      } catch (err) {
        console.error('webio: a valueFormatter of put_datatable failed', err);
      }
    }
    return display(value);
  }

  /**
   * @param {unknown} record
   * @param {number} index
   * @returns {unknown}
   */
  idOf(record, index) {
    return this.idField ? at(record, this.idField) : this.rowIds[index];
  }

  /** @param {any[]} records */
  setRecords(records) {
    this.rows = records.map((record, i) => this.makeRow(record, this.idOf(record, i)));
  }

  /**
   * The index of the row with id `id`, or -1.
   * @param {unknown} id
   * @returns {number}
   */
  indexOf(id) {
    return id === null || id === undefined ? -1 : this.rows.findIndex((row) => row.id === id);
  }

  /** @param {Record<string, any>} spec `datatable_update` */
  update(spec) {
    if (spec.row_id === null || spec.row_id === undefined) {
      const records = Array.isArray(spec.data) ? spec.data : [];
      if (!this.idField) this.rowIds = records.map((_, i) => i);
      this.setRecords(records);
    } else {
      const index = this.indexOf(spec.row_id);
      if (index < 0) return;
      let record = spec.data;
      if (Array.isArray(spec.field)) {
        /** @type {(base: any, path: unknown[]) => any} */
        const set = (base, path) => {
          if (!path.length) return spec.data;
          const copy = isPlainObject(base) ? { ...base } : {};
          copy[String(path[0])] = set(copy[String(path[0])], path.slice(1));
          return copy;
        };
        record = set(this.rows[index].record, spec.field);
      }
      this.rows[index] = this.makeRow(record, this.rows[index].id);
    }
    this.refresh();
  }

  /** @param {Record<string, any>} spec `datatable_insert` */
  insert(spec) {
    const records = Array.isArray(spec.records) ? spec.records : [];
    const found = spec.row_id === null || spec.row_id === undefined ? -1 : this.indexOf(spec.row_id);
    const at_ = found < 0 ? this.rows.length : found;
    let ids;
    if (this.idField) {
      ids = records.map((record) => at(record, /** @type {unknown[]} */ (this.idField)));
    } else {
      const start = this.rowIds.filter(Number.isInteger).reduce((max, id) => Math.max(max, Number(id)), -1) + 1;
      ids = records.map((_, i) => start + i);
      this.rowIds.splice(at_, 0, ...ids);
    }
    this.rows.splice(at_, 0, ...records.map((record, i) => this.makeRow(record, ids[i])));
    this.refresh();
  }

  /** @param {Record<string, any>} spec `datatable_remove` */
  remove(spec) {
    const gone = new Set(Array.isArray(spec.row_ids) ? spec.row_ids : []);
    const keep = this.rows.filter((row) => !gone.has(row.id));
    if (!this.idField) this.rowIds = keep.map((row) => row.id);
    this.rows = keep;
    for (const id of gone) this.selected.delete(id);
    this.refresh();
  }

  // ---------------------------------------------------------------- view

  /**
   * A column width in pixels from its options, header and first rows.
   * @param {Column} column
   * @returns {number}
   */
  measure(column) {
    const given = Number(column.args.width);
    if (Number.isFinite(given) && given > 0) return given;
    const index = this.columns.indexOf(column);
    let chars = column.header.length + 2;
    for (const row of this.rows.slice(0, 50)) chars = Math.max(chars, row.cells[index].length);
    const min = Number(column.args.minWidth);
    return Math.max(Number.isFinite(min) ? min : 72, Math.min(320, chars * 8 + 28));
  }

  build() {
    const rowsLabel = h('span', { class: 'webio-dt-count', 'aria-live': 'polite' });
    const search = /** @type {HTMLInputElement} */ (h('input', {
      type: 'search', class: 'webio-input webio-dt-filter', placeholder: t('dt_filter'), 'aria-label': t('dt_filter'),
    }));
    let timer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.filter = search.value.trim().toLowerCase();
        this.refresh();
      }, 120);
    });
    this.actionBar = h('div', { class: 'webio-dt-actions', role: 'group', 'aria-label': t('dt_actions') });
    /** @type {HTMLButtonElement[]} */
    this.actionButtons = [];
    this.actions.forEach((label, index) => {
      if (label === null || label === undefined) {
        this.actionBar.append(h('span', { class: 'webio-dt-separator', 'aria-hidden': 'true' }));
        return;
      }
      const button = /** @type {HTMLButtonElement} */ (h('button', {
        type: 'button', class: 'webio-btn webio-btn-sm webio-btn-outline webio-btn-primary', disabled: true,
      }, String(label)));
      button.addEventListener('click', () => this.send({ rows: [...this.selected], btn: index }));
      this.actionButtons.push(button);
      this.actionBar.append(button);
    });
    this.countLabel = rowsLabel;
    const toolbar = h('div', { class: 'webio-dt-toolbar' }, search, this.actionBar, rowsLabel);
    this.cellBar = this.spec.cell_content_bar === false ? null
      : h('div', { class: 'webio-dt-cellbar', 'aria-live': 'polite', dataset: { placeholder: t('dt_cell_hint') } });

    this.colgroup = h('colgroup');
    this.head = h('thead');
    this.body = h('tbody');
    this.table = h('table', { class: 'webio-dt-table', 'aria-multiselectable': this.selectable ? String(this.multiple) : null },
      this.colgroup, this.head, this.body);
    this.scroller = h('div', { class: 'webio-dt-scroll', tabindex: '0' }, this.table);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.body.addEventListener('click', (event) => this.onBodyClick(/** @type {MouseEvent} */ (event)));
    this.body.addEventListener('change', (event) => {
      const box = /** @type {HTMLInputElement} */ (event.target);
      const tr = /** @type {HTMLElement | null} */ (box.closest('tr[data-index]'));
      if (tr && box.classList.contains('webio-dt-check')) this.toggle(this.rows[Number(tr.dataset.index)], box.checked);
    });
    this.root = h('div', { class: ['webio-datatable', /-dark$/.test(String(this.spec.theme)) && 'webio-dt-dark'] },
      toolbar, this.cellBar, this.scroller);
    if (!this.auto && typeof this.spec.height === 'string' && CSS.supports('height', this.spec.height)) {
      this.scroller.style.height = this.spec.height;
    }
    if (typeof this.spec.instance_id === 'string' && this.spec.instance_id) {
      this.root.dataset.webioDatatable = this.spec.instance_id;
      instances.set(this.spec.instance_id, this);
    }
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  renderHead() {
    this.colgroup.replaceChildren();
    const tr = h('tr', { 'aria-rowindex': '1' });
    if (this.selectable) {
      this.colgroup.append(h('col', { style: 'width: 44px' }));
      const cell = h('th', { class: 'webio-dt-select', scope: 'col' });
      if (this.multiple) {
        const all = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', class: 'webio-dt-check', 'aria-label': t('dt_select_all') }));
        all.addEventListener('change', () => this.selectShown(all.checked));
        this.selectAll = all;
        cell.append(all);
      }
      tr.append(cell);
    }
    let total = this.selectable ? 44 : 0;
    this.columns.forEach((column, index) => {
      total += column.width;
      this.colgroup.append(h('col', { style: `width: ${column.width}px` }));
      const sortable = column.args.sortable !== false;
      const th = h('th', { scope: 'col', title: column.key });
      if (sortable) {
        const button = h('button', { type: 'button', class: 'webio-dt-sort', 'aria-label': t('dt_sort', { name: column.header }) },
          h('span', { class: 'webio-dt-header' }, column.header), h('span', { class: 'webio-dt-arrow', 'aria-hidden': 'true' }));
        button.addEventListener('click', () => this.toggleSort(index));
        th.append(button);
      } else {
        th.append(h('span', { class: 'webio-dt-header' }, column.header));
      }
      tr.append(th);
    });
    this.table.style.width = `max(100%, ${total}px)`;
    this.head.replaceChildren(tr);
    this.updateSortMarks();
  }

  /** @param {number} index */
  toggleSort(index) {
    if (!this.sort || this.sort.index !== index) this.sort = { index, dir: 1 };
    else if (this.sort.dir === 1) this.sort = { index, dir: -1 };
    else this.sort = null;
    this.updateSortMarks();
    this.refresh();
  }

  updateSortMarks() {
    const offset = this.selectable ? 1 : 0;
    const cells = this.head.querySelectorAll('th');
    this.columns.forEach((_, index) => {
      const th = cells[index + offset];
      const active = this.sort && this.sort.index === index;
      if (active) th.setAttribute('aria-sort', this.sort && this.sort.dir === 1 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  /** Recompute the view (filter, sort), the counts and the visible rows. */
  refresh() {
    const filter = this.filter;
    const view = [];
    for (let i = 0; i < this.rows.length; i += 1) {
      if (!filter || this.rows[i].search.includes(filter)) view.push(i);
    }
    if (this.sort) {
      const { index, dir } = this.sort;
      view.sort((a, b) => dir * compare(this.rows[a].values[index], this.rows[b].values[index]) || a - b);
    }
    this.view = view;
    const present = new Set(this.rows.map((row) => row.id));
    for (const id of [...this.selected]) if (!present.has(id)) this.selected.delete(id);
    this.updateCount();
    this.table.setAttribute('aria-rowcount', String(view.length + 1));
    this.updateActions();
    this.lastWindow = '';
    this.renderWindow();
  }

  updateCount() {
    const count = this.rows.length.toLocaleString();
    const rows = this.filter
      ? t('dt_rows_filtered', { shown: this.view.length.toLocaleString(), count })
      : t('dt_rows', { count });
    this.countLabel.textContent = this.selected.size ? `${t('dt_selected', { count: this.selected.size })} · ${rows}` : rows;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderWindow();
    });
  }

  /** Render the rows in view, with spacer rows standing for the others. */
  renderWindow() {
    const total = this.view.length;
    let first = 0;
    let last = total;
    if (!this.auto) {
      const height = this.scroller.clientHeight || 600;
      first = Math.max(0, Math.floor(this.scroller.scrollTop / this.rowHeight) - OVERSCAN);
      last = Math.min(total, first + Math.ceil(height / this.rowHeight) + 2 * OVERSCAN);
    }
    const key = `${first}:${last}`;
    if (key === this.lastWindow) return;
    this.lastWindow = key;
    const span = this.columns.length + (this.selectable ? 1 : 0);
    /** @param {number} rows */
    const spacer = (rows) => h('tr', { class: 'webio-dt-spacer', 'aria-hidden': 'true' },
      h('td', { colspan: span, style: `height: ${rows * this.rowHeight}px` }));
    const fragment = document.createDocumentFragment();
    if (first > 0) fragment.append(spacer(first));
    for (let position = first; position < last; position += 1) fragment.append(this.renderRow(position));
    if (last < total) fragment.append(spacer(total - last));
    if (!total) fragment.append(h('tr', null, h('td', { class: 'webio-dt-empty', colspan: span }, t('dt_no_rows'))));
    this.body.replaceChildren(fragment);
    if (this.selectAll) {
      const shown = this.view.length && this.view.every((i) => this.selected.has(this.rows[i].id));
      this.selectAll.checked = Boolean(shown);
      this.selectAll.indeterminate = !shown && this.selected.size > 0;
    }
  }

  /**
   * @param {number} position index into the view
   * @returns {HTMLElement}
   */
  renderRow(position) {
    const index = this.view[position];
    const row = this.rows[index];
    const selected = this.selected.has(row.id);
    const tr = h('tr', {
      class: selected ? 'webio-dt-selected' : null,
      'aria-rowindex': String(position + 2),
      dataset: { index: String(index) },
      style: `height: ${this.rowHeight}px`,
    });
    if (this.selectable) {
      const box = h('input', { type: 'checkbox', class: 'webio-dt-check', 'aria-label': t('dt_select_row', { id: display(row.id) }) });
      /** @type {HTMLInputElement} */ (box).checked = selected;
      tr.append(h('td', { class: 'webio-dt-select' }, box));
    }
    this.columns.forEach((column, i) => {
      const td = h('td', { title: row.cells[i].length > 24 ? row.cells[i] : null }, row.cells[i]);
      const style = column.args.cellStyle;
      const css = typeof style === 'function' ? safeCall(style, { value: row.values[i], data: row.record }) : style;
      if (isPlainObject(css)) {
        for (const [name, value] of Object.entries(css)) {
          if (name.includes('-')) td.style.setProperty(name, String(value));
          else td.style.setProperty(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), String(value));
        }
      }
      tr.append(td);
    });
    return tr;
  }

  /** @param {MouseEvent} event */
  onBodyClick(event) {
    const target = /** @type {HTMLElement} */ (event.target);
    const tr = /** @type {HTMLElement | null} */ (target.closest('tr[data-index]'));
    if (!tr) return;
    const row = this.rows[Number(tr.dataset.index)];
    const td = target.closest('td');
    if (this.cellBar && td && !td.classList.contains('webio-dt-select')) {
      const column = this.columns[td.cellIndex - (this.selectable ? 1 : 0)];
      if (column) this.cellBar.textContent = `${column.header}: ${td.textContent}`;
    }
    if (typeof this.gridArgs.onRowClicked === 'function') safeCall(this.gridArgs.onRowClicked, { data: row.record, rowIndex: Number(tr.dataset.index) });
    if (this.selectable && !target.closest('input')) this.toggle(row, this.multiple ? !this.selected.has(row.id) : true);
  }

  /**
   * Select or unselect one row.
   * @param {Row} row
   * @param {boolean} on
   */
  toggle(row, on) {
    if (!this.multiple) this.selected.clear();
    if (on) this.selected.add(row.id);
    else this.selected.delete(row.id);
    this.selectionChanged();
  }

  /** @param {boolean} on select or unselect every row in the view */
  selectShown(on) {
    for (const index of this.view) {
      if (on) this.selected.add(this.rows[index].id);
      else this.selected.delete(this.rows[index].id);
    }
    this.selectionChanged();
  }

  selectionChanged() {
    this.lastWindow = '';
    this.renderWindow();
    this.updateActions();
    this.updateCount();
    if (typeof this.gridArgs.onSelectionChanged === 'function') safeCall(this.gridArgs.onSelectionChanged, { rows: [...this.selected] });
    if (this.spec.on_select && (this.multiple || this.selected.size)) this.send({ rows: [...this.selected] });
  }

  updateActions() {
    for (const button of this.actionButtons) button.disabled = this.selected.size === 0;
    this.actionBar.hidden = this.actionButtons.length === 0;
  }

  /** @param {{rows: unknown[], btn?: number}} data */
  send(data) {
    if (this.callbackId) this.ctx.callback(this.callbackId, data);
  }
}

/**
 * Call a JSFunction of the app, logging its errors.
 * @param {Function} fn
 * @param {unknown} params
 * @returns {any}
 */
function safeCall(fn, params) {
  try {
    return fn(params);
  } catch (err) {
    console.error('webio: a JSFunction of put_datatable failed', err);
    return undefined;
  }
}

registerOutput('datatable', (spec, ctx) => new DataTable(spec, ctx).root);

/**
 * The datatable shown with `instance_id`, or null.
 * @param {unknown} instanceId
 * @returns {DataTable | null}
 */
function find(instanceId) {
  const table = instances.get(String(instanceId));
  if (table && table.root.isConnected) return table;
  if (table) instances.delete(String(instanceId));
  return null;
}

/**
 * Register the `datatable_*` commands.
 * @param {App} app
 */
export function install(app) {
  for (const [name, method] of /** @type {const} */ ([['datatable_update', 'update'], ['datatable_insert', 'insert'], ['datatable_remove', 'remove']])) {
    app.dispatcher.register(name, (spec) => {
      if (!spec || typeof spec !== 'object') return;
      const table = find(spec.instance_id);
      if (table) table[method](spec);
      else console.warn(`webio: ${name}: no datatable "${spec.instance_id}" on the page`);
    });
  }
}

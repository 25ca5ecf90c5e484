/**
 * `table` (put_table): `data` is a list of rows, each cell a string (shown as
 * text) or a nested output spec; `span` maps `"row,col"` to `{row, col}` spans.
 * The first row is the header, extended down as far as its cells span rows.
 * @module webio/out_table
 */
import { h } from 'webio/dom.js';
import { registerOutput } from 'webio/outputs.js';

registerOutput('table', (spec, ctx) => {
  const data = Array.isArray(spec.data) ? spec.data.map((row) => (Array.isArray(row) ? row : [])) : [];
  const spans = spec.span && typeof spec.span === 'object' ? spec.span : {};
  /**
   * @param {number} x
   * @param {number} y
   * @returns {{row: number, col: number}}
   */
  const spanOf = (x, y) => {
    const s = spans[`${x},${y}`];
    const n = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 1);
    return s && typeof s === 'object' ? { row: n(s.row), col: n(s.col) } : { row: 1, col: 1 };
  };
  let headRows = data.length ? 1 : 0;
  (data[0] || []).forEach((_, y) => { headRows = Math.max(headRows, spanOf(0, y).row); });

  const thead = h('thead');
  const tbody = h('tbody');
  data.forEach((row, x) => {
    const head = x < headRows;
    const tr = h('tr');
    row.forEach((cell, y) => {
      const { row: rows, col: cols } = spanOf(x, y);
      const td = h(head ? 'th' : 'td', {
        scope: head ? (cols > 1 ? 'colgroup' : 'col') : null,
        rowspan: rows > 1 ? rows : null,
        colspan: cols > 1 ? cols : null,
      });
      if (cell && typeof cell === 'object') td.append(ctx.render(cell));
      else td.textContent = cell == null ? '' : String(cell);
      tr.append(td);
    });
    (head ? thead : tbody).append(tr);
  });
  const table = h('table', { class: 'webio-table' });
  if (thead.childElementCount) table.append(thead);
  table.append(tbody);
  // The wrapper scrolls sideways on narrow screens instead of squeezing the cells.
  return h('div', { class: 'webio-table-wrap' }, table);
});

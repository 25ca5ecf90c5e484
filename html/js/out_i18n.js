/**
 * The words of the output widgets (datatable, loading, popup …), added to the
 * client's message table. Languages without an entry fall back to English.
 * @module webio/out_i18n
 */
import { addMessages } from 'webio/i18n.js';

addMessages('en', {
  loading: 'Loading…', scrollable: 'Scrollable content', copy: 'Copy', copied: 'Copied',
  dismiss: 'Dismiss', download: 'Download {name}',
  dt_filter: 'Filter rows', dt_rows: '{count} rows', dt_rows_filtered: '{shown} of {count} rows',
  dt_selected: '{count} selected', dt_select_row: 'Select row {id}', dt_select_all: 'Select all shown rows',
  dt_no_rows: 'No rows', dt_cell_hint: 'Click a cell to see all of its content', dt_sort: 'Sort by {name}', dt_actions: 'Actions for the selected rows',
});
addMessages('zh', {
  loading: '加载中…', scrollable: '可滚动内容', copy: '复制', copied: '已复制',
  dismiss: '关闭', download: '下载 {name}',
  dt_filter: '筛选行', dt_rows: '{count} 行', dt_rows_filtered: '{shown} / {count} 行',
  dt_selected: '已选 {count} 行', dt_select_row: '选择第 {id} 行', dt_select_all: '选择显示的全部行',
  dt_no_rows: '没有数据', dt_cell_hint: '点击单元格查看完整内容', dt_sort: '按 {name} 排序', dt_actions: '所选行的操作',
});

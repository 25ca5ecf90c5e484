/**
 * `textarea` items, and the code editor they become with `spec.code`.
 *
 * The code editor is a monospace `<textarea>` that keeps the indentation of the
 * line above on Enter, indents with Tab and outdents with Shift+Tab (the whole
 * selection when it spans lines). So that a keyboard user never gets stuck,
 * Esc releases Tab: the next Tab moves focus as usual; a second Esc reaches the
 * form (and cancels a cancelable one). Ctrl+Enter (⌘+Enter) submits the form
 * from any textarea.
 * @module webio/in_textarea
 */
import { h } from 'webio/dom.js';
import { addMessages, t } from 'webio/i18n.js';
import { applyControlAttributes, registerInputItem } from 'webio/inputs.js';

addMessages('en', { code_editor_help: 'Code editor: Tab indents; press Esc, then Tab, to move on.' });
addMessages('zh', { code_editor_help: '代码编辑器：Tab 缩进；先按 Esc 再按 Tab 可移到下一项。' });
addMessages('zh-TW', { code_editor_help: '程式碼編輯器：Tab 縮排；先按 Esc 再按 Tab 可移到下一項。' });
addMessages('de', { code_editor_help: 'Code-Editor: Tab rückt ein; Esc und dann Tab springt weiter.' });
addMessages('fr', { code_editor_help: 'Éditeur de code : Tab indente ; Échap puis Tab pour continuer.' });
addMessages('es', { code_editor_help: 'Editor de código: Tab sangra; pulsa Esc y luego Tab para seguir.' });
addMessages('pt', { code_editor_help: 'Editor de código: Tab indenta; Esc e depois Tab para continuar.' });
addMessages('it', { code_editor_help: 'Editor di codice: Tab indenta; Esc e poi Tab per proseguire.' });
addMessages('ru', { code_editor_help: 'Редактор кода: Tab — отступ; Esc, затем Tab — перейти дальше.' });
addMessages('uk', { code_editor_help: 'Редактор коду: Tab — відступ; Esc, потім Tab — перейти далі.' });
addMessages('ja', { code_editor_help: 'コードエディタ: Tab でインデント。Esc の後 Tab で次へ移動します。' });
addMessages('ko', { code_editor_help: '코드 편집기: Tab으로 들여쓰기, Esc 후 Tab으로 다음으로 이동합니다.' });

const INDENT = '    ';

/**
 * Replace the selection and tell listeners, as typing would.
 * @param {HTMLTextAreaElement} area
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @param {'select' | 'end'} mode
 */
function replaceRange(area, text, start, end, mode) {
  area.setRangeText(text, start, end, mode);
  area.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Indent or outdent the lines of the selection.
 * @param {HTMLTextAreaElement} area
 * @param {boolean} outdent
 */
function shiftLines(area, outdent) {
  const { value, selectionStart, selectionEnd } = area;
  const first = value.lastIndexOf('\n', selectionStart - 1) + 1;
  const block = value.slice(first, selectionEnd);
  const lines = block.split('\n');
  const changed = lines.map((line) => {
    if (!outdent) return INDENT + line;
    const spaces = /^ {1,4}|^\t/.exec(line);
    return spaces ? line.slice(spaces[0].length) : line;
  }).join('\n');
  replaceRange(area, changed, first, selectionEnd, 'select');
}

/**
 * @param {HTMLTextAreaElement} area
 * @param {import('webio/inputs.js').ItemContext} ctx
 */
function makeCodeEditor(area, ctx) {
  let tabMovesFocus = false;
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      if (!tabMovesFocus) {
        tabMovesFocus = true;
        event.preventDefault();
      }
      return;
    }
    if (event.key === 'Tab' && !tabMovesFocus && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      const { selectionStart, selectionEnd, value } = area;
      if (event.shiftKey || value.slice(selectionStart, selectionEnd).includes('\n')) {
        shiftLines(area, event.shiftKey);
      } else {
        replaceRange(area, INDENT, selectionStart, selectionEnd, 'end');
      }
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey
        && !event.isComposing) {
      event.preventDefault();
      const { selectionStart, selectionEnd, value } = area;
      const lineStart = value.lastIndexOf('\n', selectionStart - 1) + 1;
      const indent = /^[ \t]*/.exec(value.slice(lineStart, selectionStart))?.[0] ?? '';
      replaceRange(area, `\n${indent}`, selectionStart, selectionEnd, 'end');
    }
    if (event.key !== 'Tab') tabMovesFocus = false;
  });
  area.addEventListener('focus', () => { tabMovesFocus = false; });
  return h('div', { class: 'webio-code-hint', id: `${ctx.id}-code-hint` }, t('code_editor_help'));
}

registerInputItem('textarea', (spec, ctx) => {
  const code = spec.code && typeof spec.code === 'object' ? spec.code : null;
  const area = /** @type {HTMLTextAreaElement} */ (h('textarea', {
    id: ctx.id,
    name: spec.name,
    class: ['webio-input', 'webio-textarea', code && 'webio-code'],
    rows: String(Number(spec.rows) > 0 ? Number(spec.rows) : 6),
    spellcheck: code ? 'false' : null,
    autocapitalize: code ? 'off' : null,
    autocomplete: code ? 'off' : null,
    wrap: code ? 'off' : null,
  }));
  /** @type {Record<string, unknown>} */
  const attrs = {};
  for (const key of ['placeholder', 'required', 'readonly', 'disabled', 'maxlength', 'minlength']) {
    if (spec[key] !== undefined && spec[key] !== null) attrs[key] = spec[key];
  }
  applyControlAttributes(area, attrs);
  area.defaultValue = spec.value === null || spec.value === undefined ? '' : String(spec.value);
  area.addEventListener('input', () => ctx.emit('change'));
  area.addEventListener('blur', () => ctx.emit('blur'));
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !ctx.pin) {
      event.preventDefault();
      ctx.submit();
    }
  });
  /** @type {HTMLElement} */
  let element = area;
  /** @type {string | undefined} */
  let describedBy;
  if (code) {
    const hint = makeCodeEditor(area, ctx);
    describedBy = hint.id;
    const mode = typeof code.mode === 'string' && code.mode ? h('span', { class: 'webio-code-mode' }, code.mode) : null;
    element = h('div', { class: 'webio-code-wrap' }, area, h('div', { class: 'webio-code-bar' }, mode, hint));
  }
  return {
    element,
    control: area,
    describedBy,
    getValue: () => area.value,
    setValue(value) {
      area.value = value === null || value === undefined ? '' : String(value);
    },
    update(changes) {
      applyControlAttributes(area, changes);
      if ('rows' in changes && Number(changes.rows) > 0) area.rows = Number(changes.rows);
    },
  };
});

/**
 * `run_script`: run the app's JavaScript in the page.
 *
 * `spec.args` are bound as variables of the same names
 * (`new Function(...names, code)`, `this` = `window`). With `spec.eval` the code
 * is an expression — or, if it does not compile as one, statements with a
 * `return` — and the client answers `js_yield` with the value, awaited when it
 * is a promise, or `null` when it threw or was rejected.
 *
 * Security: this runs whatever the server sends, by design (PyWebIO's
 * `run_js`/`eval_js`); the server must never put visitor input into `code`
 * (it goes into `args`).
 * @module webio/script
 */

/**
 * @typedef {import('webio/app.js').App} App
 * @typedef {{code?: string, args?: Record<string, unknown>, eval?: boolean}} ScriptSpec
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A value as JSON will carry it: `undefined`, functions and cycles become null.
 * @param {unknown} value
 * @returns {unknown}
 */
export function toJSONValue(value) {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Compile `code` with `names` as parameters.
 * @param {string[]} names
 * @param {string} code
 * @param {boolean} expression try it as an expression first
 * @returns {Function}
 */
function compile(names, code, expression) {
  if (expression) {
    const body = code.replace(/[\s;]+$/, '');
    try {
      return new Function(...names, `return (\n${body}\n);`);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return new Function(...names, code);
}

/**
 * Run a script. With `spec.eval`, `yieldValue` receives the (awaited) result
 * or null on failure; it is called exactly once.
 * @param {ScriptSpec} spec
 * @param {(value: unknown) => void} [yieldValue]
 */
export function runScript(spec, yieldValue) {
  const wantsValue = Boolean(spec && spec.eval);
  const done = (/** @type {unknown} */ value) => {
    if (wantsValue && yieldValue) yieldValue(toJSONValue(value));
  };
  const args = spec && spec.args && typeof spec.args === 'object' ? spec.args : {};
  const names = Object.keys(args).filter((name) => {
    const ok = IDENTIFIER.test(name);
    if (!ok) console.warn(`webio: run_script argument "${name}" is not a JavaScript name; skipped`);
    return ok;
  });
  let result;
  try {
    const fn = compile(names, String((spec && spec.code) ?? ''), wantsValue);
    result = fn.apply(window, names.map((name) => args[name]));
  } catch (err) {
    console.warn('webio: the app\'s script failed', err);
    done(null);
    return;
  }
  const thenable = result !== null && (typeof result === 'object' || typeof result === 'function')
    && typeof (/** @type {any} */ (result)).then === 'function';
  if (!thenable) {
    done(result);
    return;
  }
  Promise.resolve(result).then(done, (err) => {
    console.warn('webio: the app\'s script was rejected', err);
    done(null);
  });
}

/**
 * Register `run_script`.
 * @param {App} app
 */
export function install(app) {
  app.dispatcher.register('run_script', (spec, command) => {
    runScript(spec || {}, (value) => app.send({ event: 'js_yield', task_id: command.task_id ?? null, data: value }));
  });
}

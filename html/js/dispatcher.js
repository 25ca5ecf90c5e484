/**
 * Command name → handler.
 *
 * Each module registers the commands it owns through `install(app)`.
 * Registering a second handler for a command throws: two modules that both
 * think they own `output` is a bug to catch at start-up, not a race to lose at
 * run time (PyWebIO's client refuses the same way).
 * @module webio/dispatcher
 */

/**
 * @typedef {import('webio/transport.js').Command} Command
 * @typedef {(spec: any, command: Command) => void} CommandHandler
 */

export class Dispatcher {
  constructor() {
    /** @type {Map<string, CommandHandler>} */
    this._handlers = new Map();
  }

  /**
   * Register the handler of one command.
   * @param {string} name command name, e.g. `"output"`
   * @param {CommandHandler} handler called with `(spec, command)`
   * @throws {Error} when `name` already has a handler
   * @throws {TypeError} when `handler` is not a function
   */
  register(name, handler) {
    if (typeof handler !== 'function') {
      throw new TypeError(`webio: the handler of command "${name}" must be a function, got ${typeof handler}`);
    }
    if (this._handlers.has(name)) {
      throw new Error(`webio: command "${name}" already has a handler; register each command once`);
    }
    this._handlers.set(name, handler);
  }

  /**
   * @param {string} name
   * @returns {boolean}
   */
  has(name) {
    return this._handlers.has(name);
  }

  /**
   * Run the handler of one command. Never throws: an unknown command is
   * logged and skipped, a failing handler is logged.
   * @param {Command} command
   * @returns {boolean} whether a handler ran without throwing
   */
  dispatch(command) {
    const name = command && command.command;
    const handler = typeof name === 'string' ? this._handlers.get(name) : undefined;
    if (!handler) {
      console.warn('webio: ignoring unknown command', name);
      return false;
    }
    try {
      handler(command.spec, command);
      return true;
    } catch (err) {
      console.error(`webio: the "${name}" command failed`, err);
      return false;
    }
  }
}

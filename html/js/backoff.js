/**
 * Exponential backoff with jitter, for reconnect attempts.
 * @module webio/backoff
 */

export class Backoff {
  /**
   * @param {Object} [options]
   * @param {number} [options.min] first delay in ms (default 250)
   * @param {number} [options.max] cap in ms (default 10000)
   * @param {number} [options.factor] growth per attempt (default 2)
   * @param {number} [options.jitter] share of the delay that is random, 0..1 (default 0.5)
   * @param {() => number} [options.random] source of randomness in [0, 1)
   */
  constructor({ min = 250, max = 10000, factor = 2, jitter = 0.5, random = Math.random } = {}) {
    this.min = min;
    this.max = max;
    this.factor = factor;
    this.jitter = Math.min(1, Math.max(0, jitter));
    this.random = random;
    this.attempts = 0;
  }

  /**
   * The delay before the next attempt, in ms; each call counts one attempt.
   * The delay lies in `[d·(1-jitter), d]` with `d = min(max, min·factor^attempt)`,
   * so many clients dropped at once do not come back at the same instant.
   * @returns {number}
   */
  next() {
    const base = Math.min(this.max, this.min * this.factor ** this.attempts);
    this.attempts += 1;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /** Start again from the smallest delay (after a connection proved stable). */
  reset() {
    this.attempts = 0;
  }
}

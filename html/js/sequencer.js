/**
 * Strict ordering of sequenced commands.
 *
 * Every command that changes the page carries `seq` (1, 2, 3 … per session).
 * The sequencer applies them strictly in order, drops what it has already
 * applied (a resend after a reconnect), and acks once per frame with the last
 * applied `seq`. A gap means a command was lost: the rest of the frame is not
 * applied and `onGap` asks the session to reconnect with `last_seq`, so the
 * server replays or sends a snapshot. Commands without `seq`
 * (`set_session_id`, `set_reconnect_token`) are applied at once.
 *
 * A `snapshot` replaces the whole page: it is applied when its `seq` is not
 * older than what the page shows (equal is harmless: it rebuilds the same page
 * and keeps what the visitor typed), and the count continues after it.
 * @module webio/sequencer
 */

/** @typedef {import('webio/transport.js').Command} Command */

export class Sequencer {
  /**
   * @param {Object} hooks
   * @param {(command: Command) => void} hooks.apply run one command
   * @param {(seq: number) => void} hooks.ack acknowledge everything up to `seq`
   * @param {(expected: number, got: number) => boolean} hooks.onGap
   *   called on a gap; return true when the session resyncs (the rest of the
   *   frame is dropped), false to apply the command anyway (no way to resync)
   */
  constructor({ apply, ack, onGap }) {
    this._apply = apply;
    this._ack = ack;
    this._onGap = onGap;
    /** The `seq` of the last applied command; sent as `last_seq` on resume. */
    this.lastSeq = 0;
  }

  /**
   * Handle the commands of one frame, in order.
   * @param {Command[]} commands
   */
  receive(commands) {
    let sequenced = false;
    for (const command of commands) {
      const seq = command.seq;
      if (typeof seq !== 'number' || !Number.isInteger(seq)) {
        this._apply(command);
        continue;
      }
      sequenced = true;
      if (command.command === 'snapshot') {
        if (seq >= this.lastSeq) {
          this.lastSeq = seq;
          this._apply(command);
        }
        continue;
      }
      if (seq <= this.lastSeq) continue; // already applied: a resend
      if (seq > this.lastSeq + 1) {
        const expected = this.lastSeq + 1;
        if (this.lastSeq > 0) this._ack(this.lastSeq); // what this frame applied so far
        if (this._onGap(expected, seq)) return;
        console.warn(`webio: command ${expected} is missing (got ${seq}) and the session cannot resync; going on`);
      }
      this.lastSeq = seq;
      this._apply(command);
    }
    if (sequenced && this.lastSeq > 0) this._ack(this.lastSeq);
  }

  /** Forget the count (a brand-new session starts at 0). */
  reset() {
    this.lastSeq = 0;
  }
}

/** This many heartbeat periods without a frame from the server: the connection is dead, whatever the socket says. */
export const SILENT_PERIODS = 2.5;
/** A change of ours the server has not answered (echoed) after this long: ask it for a sign of life. */
export const PROBE_AFTER_MS = 1000;
/** A sign of life asked for and not given within this long: the connection is dead. */
export const PROBE_ANSWER_MS = 2000;

export type LivenessVerdict = 'ok' | 'probe' | 'silent';

/**
 * Whether an open collab socket still reaches the server, judged from what arrives on it [HB2].
 * A browser cannot see WebSocket pings, and a socket whose network is gone (a phone losing signal,
 * emulated offline) stays "open" until TCP gives up, so the server sends a heartbeat message every
 * period (docs/protocol.md, message 102; the period is COLLAB_HEARTBEAT_MS, by default
 * Limits.collabHeartbeatMs) and the client counts silence:
 *
 * - idle: nothing heard for SILENT_PERIODS periods → silent;
 * - in doubt (we sent a change, which the server echoes at once; or the browser says it went
 *   offline): nothing heard for PROBE_AFTER_MS → send a probe (queryAwareness, answered at once);
 *   nothing heard PROBE_ANSWER_MS after the probe → silent.
 *
 * Pure: time comes in; the caller sends the probe and reconnects on `silent`.
 */
export class Liveness {
  private heardAt = 0;
  private doubtSince: number | null = null;
  private probedAt: number | null = null;

  /**
   * 0 until the server announces its period (its first heartbeat, on join): a server that sends none
   * (COLLAB_HEARTBEAT_MS=0, or one that does not know message 102) is judged by probes alone.
   */
  constructor(private periodMs = 0) {}

  get period(): number {
    return this.periodMs;
  }

  /** The server announced its heartbeat period (0: it sends none, so only probes can tell). */
  setPeriod(ms: number): void {
    this.periodMs = ms;
  }

  /** A socket opened, or any frame arrived from the server. */
  heard(now: number): void {
    this.heardAt = now;
    this.doubtSince = null;
    this.probedAt = null;
  }

  /** Something the server answers at once was sent (a change), or the browser lost its network. */
  doubt(now: number, probeNow = false): void {
    if (this.doubtSince === null) this.doubtSince = probeNow ? now - PROBE_AFTER_MS : now;
    else if (probeNow) this.doubtSince = Math.min(this.doubtSince, now - PROBE_AFTER_MS);
  }

  /** What to do at `now`: nothing, send a probe (the caller does; the answer is then expected), or give up. */
  check(now: number): LivenessVerdict {
    if (this.periodMs > 0 && now - this.heardAt > SILENT_PERIODS * this.periodMs) return 'silent';
    if (this.probedAt !== null) return now - this.probedAt > PROBE_ANSWER_MS ? 'silent' : 'ok';
    if (this.doubtSince !== null && now - this.doubtSince >= PROBE_AFTER_MS) {
      this.probedAt = now;
      return 'probe';
    }
    return 'ok';
  }

  /** When `check` could next say something new (ms from `now`), so a timer need not tick. */
  nextCheckIn(now: number): number {
    const deadlines: number[] = [];
    if (this.periodMs > 0) deadlines.push(this.heardAt + SILENT_PERIODS * this.periodMs + 1);
    if (this.probedAt !== null) deadlines.push(this.probedAt + PROBE_ANSWER_MS + 1);
    else if (this.doubtSince !== null) deadlines.push(this.doubtSince + PROBE_AFTER_MS);
    if (deadlines.length === 0) return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(...deadlines) - now);
  }
}

/** This many heartbeat periods without a frame from the server: the connection is dead, whatever the socket says. */
export const SILENT_PERIODS = 2.5;
/** A change of ours the server has not answered (echoed) after this long: ask it for a sign of life. */
export const PROBE_AFTER_MS = 1000;
/** A sign of life asked for and not given within this long: the connection is dead. */
export const PROBE_ANSWER_MS = 2000;

/** After the browser reports going offline, a heartbeat must still come within its period plus this. */
export const OFFLINE_SLACK_MS = 500;

export type LivenessVerdict = 'ok' | 'probe' | 'silent';

/**
 * Whether an open collab socket still reaches the server, judged from what arrives on it [HB2].
 * A browser cannot see WebSocket pings, and a socket whose network is gone (a phone losing signal,
 * emulated offline) stays "open" until TCP gives up, so the server sends a heartbeat message every
 * period (docs/protocol.md, message 102; the period is COLLAB_HEARTBEAT_MS, by default
 * Limits.collabHeartbeatMs) and the client counts silence:
 *
 * - idle: nothing heard for SILENT_PERIODS periods → silent;
 * - in doubt (we sent a change, which the server echoes at once): nothing heard for PROBE_AFTER_MS
 *   → send a probe (queryAwareness, answered at once); nothing heard PROBE_ANSWER_MS after it → silent;
 * - the browser says it went offline: silent unless a frame comes within one period (+ OFFLINE_SLACK_MS);
 *   nothing is sent on such a socket (a frame held there can hold its closing too).
 *
 * Pure: time comes in; the caller sends the probe and reconnects on `silent`.
 */
export class Liveness {
  private heardAt = 0;
  private doubtSince: number | null = null;
  private probedAt: number | null = null;
  /** Set when the browser reported going offline: silent unless something is heard by then. */
  private offlineDeadline: number | null = null;

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
    this.offlineDeadline = null;
  }

  /** Something the server answers at once was sent: a change (its echo). */
  doubt(now: number): void {
    this.doubtSince ??= now;
  }

  /** The browser lost its network: a live socket still brings a heartbeat within a period. */
  browserOffline(now: number): void {
    this.offlineDeadline ??= now + (this.periodMs > 0 ? this.periodMs + OFFLINE_SLACK_MS : PROBE_ANSWER_MS);
  }

  /** What to do at `now`: nothing, send a probe (the caller does; the answer is then expected), or give up. */
  check(now: number): LivenessVerdict {
    if (this.periodMs > 0 && now - this.heardAt > SILENT_PERIODS * this.periodMs) return 'silent';
    if (this.offlineDeadline !== null && now > this.offlineDeadline) return 'silent';
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
    if (this.offlineDeadline !== null) deadlines.push(this.offlineDeadline + 1);
    if (this.probedAt !== null) deadlines.push(this.probedAt + PROBE_ANSWER_MS + 1);
    else if (this.doubtSince !== null) deadlines.push(this.doubtSince + PROBE_AFTER_MS);
    if (deadlines.length === 0) return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(...deadlines) - now);
  }
}

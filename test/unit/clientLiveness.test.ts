import { describe, expect, it } from 'vitest';
import { Liveness, OFFLINE_SLACK_MS, PROBE_AFTER_MS, PROBE_ANSWER_MS, SILENT_PERIODS } from '../../client/controllers/liveness.js';
import { loadConfig } from '../../server/config.js';
import { Limits } from '../../shared/limits.js';

describe('Liveness: an open socket that no longer reaches the server', () => {
  it('[HB1] one default for the heartbeat period: the configuration takes it from Limits', () => {
    expect(loadConfig({}).COLLAB_HEARTBEAT_MS).toBe(Limits.collabHeartbeatMs);
    expect(Limits.collabHeartbeatMs).toBeLessThanOrEqual(4000); // silence is noticed within 2.5 periods: 10 s at most
  });

  it('[HB2] idle: silent after 2.5 heartbeat periods without a frame, not before', () => {
    const l = new Liveness();
    l.setPeriod(4000);
    l.heard(0);
    expect(l.check(SILENT_PERIODS * 4000)).toBe('ok');
    expect(l.nextCheckIn(0)).toBe(SILENT_PERIODS * 4000 + 1);
    expect(l.check(SILENT_PERIODS * 4000 + 1)).toBe('silent');
  });

  it('[HB2] each heartbeat (any frame) restarts the count', () => {
    const l = new Liveness(4000);
    l.heard(0);
    for (let t = 4000; t <= 40_000; t += 4000) {
      l.heard(t);
      expect(l.check(t + 9000)).toBe('ok');
    }
  });

  it('[HB2] a change the server did not echo: a probe after 1 s, silent 2 s later when nothing came', () => {
    const l = new Liveness(4000);
    l.heard(0);
    l.doubt(500);
    expect(l.check(500 + PROBE_AFTER_MS - 1)).toBe('ok');
    expect(l.nextCheckIn(500)).toBe(PROBE_AFTER_MS);
    expect(l.check(500 + PROBE_AFTER_MS)).toBe('probe');
    expect(l.check(500 + PROBE_AFTER_MS + 1)).toBe('ok'); // one probe, then wait for its answer
    expect(l.check(500 + PROBE_AFTER_MS + PROBE_ANSWER_MS + 1)).toBe('silent');
  });

  it('[HB2] the echo (or any frame) clears the doubt: no probe, no silence', () => {
    const l = new Liveness(4000);
    l.heard(0);
    l.doubt(100);
    l.heard(130);
    expect(l.check(100 + PROBE_AFTER_MS + 10)).toBe('ok');
    l.doubt(2000);
    expect(l.check(2000 + PROBE_AFTER_MS)).toBe('probe');
    l.heard(2000 + PROBE_AFTER_MS + 40); // the probe's answer
    expect(l.check(2000 + PROBE_AFTER_MS + PROBE_ANSWER_MS + 100)).toBe('ok');
  });

  it('[HB2] the browser going offline: silent unless a heartbeat still comes within a period, and no probe is sent on that socket', () => {
    const l = new Liveness(4000);
    l.heard(0);
    l.browserOffline(1000);
    expect(l.check(1000)).toBe('ok');
    expect(l.nextCheckIn(1000)).toBe(4000 + OFFLINE_SLACK_MS + 1);
    expect(l.check(1000 + 4000 + OFFLINE_SLACK_MS)).toBe('ok');
    expect(l.check(1000 + 4000 + OFFLINE_SLACK_MS + 1)).toBe('silent');
    const wrong = new Liveness(4000); // the browser was wrong: the heartbeat came
    wrong.heard(0);
    wrong.browserOffline(1000);
    wrong.heard(3900);
    expect(wrong.check(1000 + 4000 + OFFLINE_SLACK_MS + 1)).toBe('ok');
  });

  it('[HB2] a server that announced no period (heartbeats off) is judged by probes alone, never by idleness', () => {
    const l = new Liveness();
    l.heard(0);
    expect(l.check(600_000)).toBe('ok');
    expect(l.nextCheckIn(600_000)).toBe(Number.POSITIVE_INFINITY);
    l.doubt(600_000);
    expect(l.check(600_000 + PROBE_AFTER_MS)).toBe('probe');
  });
});

import type { Logger } from '../../logger.js';
import type { EntryRecord, EntryRepo } from '../../store/ports/entries.js';

/** setTimeout's ceiling (~24.8 days): a later time is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Publishes scheduled entries on time (WF4). The store is the truth: at start every scheduled
 * entry is armed again (an overdue one fires at once), so a restart in between loses nothing;
 * each process may fire, the conditional transition lets exactly one publish.
 */
export function createScheduler(deps: { entries: Pick<EntryRepo, 'listByStatus'>; publish: (entryId: string) => Promise<unknown>; logger: Logger }) {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  function disarm(entryId: string): void {
    const timer = timers.get(entryId);
    if (timer) clearTimeout(timer);
    timers.delete(entryId);
  }

  function arm(entry: Pick<EntryRecord, 'id' | 'status' | 'publishAt'>): void {
    disarm(entry.id);
    if (stopped || entry.status !== 'scheduled' || !entry.publishAt) return;
    const at = Date.parse(entry.publishAt);
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_DELAY_MS);
    timers.set(entry.id, setTimeout(() => {
      timers.delete(entry.id);
      if (Date.now() < at) return arm(entry); // a far time, reached in steps
      deps.publish(entry.id).catch((err: unknown) => {
        deps.logger.error({ err, entryId: entry.id }, 'scheduled publish failed; retrying in 1 s');
        if (!stopped) timers.set(entry.id, setTimeout(() => arm(entry), 1000));
      });
    }, delay));
  }

  return {
    /** Publishes what fell due while no process ran, then arms every other scheduled entry. */
    async start(): Promise<void> {
      for (const entry of await deps.entries.listByStatus('scheduled')) {
        if (entry.publishAt && Date.parse(entry.publishAt) <= Date.now()) {
          await deps.publish(entry.id).catch((err: unknown) => {
            deps.logger.error({ err, entryId: entry.id }, 'overdue scheduled publish failed; retrying');
            arm(entry);
          });
        } else arm(entry);
      }
    },
    /** Any transition: a scheduled entry is (re)armed, anything else disarmed. */
    onTransition: arm,
    stop(): void {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;

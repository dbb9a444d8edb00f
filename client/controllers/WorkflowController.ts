import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { TransitionRequest } from '../../shared/schemas/workflow.js';
import type { WorkflowAction } from '../../shared/workflow.js';
import type { ApiClient } from '../services/apiClient.js';
import { newIdempotencyKey } from '../services/services.js';
import { ACTION_DONE, refusalOf, type FlowRefusal } from '../workflow/flowActions.js';

interface Attempt {
  entryId: string;
  action: WorkflowAction;
  body: TransitionRequest;
  /** One per click; the same for that click's Try again, so the server applies it once [QU5]. */
  key: string;
}

export interface FlowOutcome {
  ok: boolean;
  entry?: EntryView;
  refusal?: FlowRefusal;
}

/**
 * Runs workflow steps for a card or the queue: one request at a time, the refusal kept on screen
 * until the next step (never a vanishing toast), a conflict's fresh entry handed to `refreshed`.
 */
export class WorkflowController implements ReactiveController {
  busy: WorkflowAction | null = null;
  refusal: FlowRefusal | null = null;
  /** The last step that went through, for a polite confirmation ("Published"). */
  done = '';
  private last?: Attempt;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: {
      api: () => ApiClient | undefined;
      /** The step went through: the entry as the server has it now. */
      applied: (entry: EntryView, action: WorkflowAction) => void;
      /** The step lost a race: the entry as it is now, when the server sent it. */
      refreshed?: (entry: EntryView | undefined, refusal: FlowRefusal) => void;
    },
  ) {
    host.addController(this);
  }

  hostConnected() {}

  /** A new click: a fresh idempotency key. */
  run(entryId: string, action: WorkflowAction, body: TransitionRequest): Promise<FlowOutcome> {
    return this.send({ entryId, action, body, key: newIdempotencyKey() });
  }

  /** Try again after no answer: the same click, the same key. */
  retry(): Promise<FlowOutcome> {
    return this.last ? this.send(this.last) : Promise.resolve({ ok: false });
  }

  clear() {
    this.refusal = null;
    this.done = '';
    this.last = undefined;
    this.host.requestUpdate();
  }

  private async send(a: Attempt): Promise<FlowOutcome> {
    const api = this.deps.api();
    if (!api || this.busy) return { ok: false };
    this.busy = a.action;
    this.refusal = null;
    this.done = '';
    this.last = a;
    this.host.requestUpdate();
    try {
      const entry = await api.transition(a.entryId, a.action, a.body, a.key);
      this.last = undefined;
      this.done = ACTION_DONE[a.action];
      this.deps.applied(entry, a.action);
      return { ok: true, entry };
    } catch (err) {
      const refusal = refusalOf(err, a.action);
      this.refusal = refusal;
      if (!refusal.retry) this.last = undefined;
      if (refusal.conflict) this.deps.refreshed?.(refusal.entry, refusal);
      return { ok: false, refusal };
    } finally {
      this.busy = null;
      this.host.requestUpdate();
    }
  }
}

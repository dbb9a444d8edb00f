import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** One timer for every clock on the page ("waiting 4 min" on many cards): hosts subscribe while connected. */
const TICK_MS = 15_000;
const hosts = new Set<NowController>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  const now = Date.now();
  for (const c of hosts) c.tick(now);
}

/**
 * The current time for relative times, refreshed every 15 s, silently (ux.md §6, Time). `wanted`
 * says whether the host shows one right now; hosts that do not are not re-rendered.
 */
export class NowController implements ReactiveController {
  now = Date.now();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly wanted: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.now = Date.now();
    hosts.add(this);
    timer ??= setInterval(tick, TICK_MS);
  }

  hostDisconnected() {
    hosts.delete(this);
    if (hosts.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  /** Called by the shared timer. Re-renders only when the minute changed and the host shows a time. */
  tick(now: number) {
    const changed = Math.floor(now / 60_000) !== Math.floor(this.now / 60_000);
    this.now = now;
    if (changed && this.wanted()) this.host.requestUpdate();
  }
}

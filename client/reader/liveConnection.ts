/**
 * The /live Socket.IO namespace (contract in shared/realtime/liveEvents.ts): `subscribe`
 * { slug, after } answers the changes after `after` (or { reload: true }, or { ended: true }); then
 * `change` pushes come in seq order and `ended` when coverage ends. socket.io-client reconnects by
 * itself; every connect subscribes again from the last seq applied, so a dropped connection catches
 * up exactly: changes are applied strictly in seq order, one at seq <= last is skipped, a gap asks again.
 */
import type { Socket } from 'socket.io-client';
import { READER_NAMESPACE, type ReaderChange, type ReaderClientToServer, type ReaderServerToClient } from '../../shared/realtime/liveEvents.js';
import type { ReaderFeed } from './readerFeed.js';

type LiveSocket = Socket<ReaderServerToClient, ReaderClientToServer>;

/** The "Live updates paused" line waits this long: a blip that heals at once shows nothing. */
const PAUSED_AFTER_MS = 2500;

export function connectLive(view: ReaderFeed, onEnded: () => void): void {
  let socket: LiveSocket | null = null;
  let subscribing = false;
  let again = false;
  let stopped = false;
  /** Pushes that came while a subscribe was out, or ahead of a gap. */
  const held: ReaderChange[] = [];
  const line = document.getElementById('connection');
  let pausedTimer: ReturnType<typeof setTimeout> | null = null;

  /** The feed's `data-live`: connecting, live (subscribed and caught up), paused or ended. */
  const state = (s: 'connecting' | 'live' | 'paused' | 'ended') => { view.feed.dataset.live = s; };
  state('connecting');

  const paused = (on: boolean) => {
    if (pausedTimer) clearTimeout(pausedTimer);
    pausedTimer = null;
    if (!line) return;
    if (!on) {
      line.hidden = true;
      line.textContent = '';
      return;
    }
    pausedTimer = setTimeout(() => {
      line.hidden = false;
      line.textContent = 'Live updates paused, reconnecting…';
    }, PAUSED_AFTER_MS);
  };

  const stop = () => {
    stopped = true;
    paused(false);
    state('ended');
    socket?.disconnect();
    view.ended();
    onEnded();
  };

  /** Applies what is next in seq order; a gap (a push ahead of the one expected) subscribes again. */
  const drain = () => {
    held.sort((a, b) => a.seq - b.seq);
    while (held.length) {
      const c = held[0]!;
      if (c.seq <= view.lastSeq) {
        held.shift();
        continue;
      }
      if (c.seq !== view.lastSeq + 1) {
        subscribe();
        return;
      }
      held.shift();
      view.apply(c);
    }
  };

  function subscribe(): void {
    if (!socket || stopped) return;
    if (subscribing) {
      again = true;
      return;
    }
    subscribing = true;
    socket.emit('subscribe', { slug: view.slug, after: view.lastSeq }, (ack) => {
      void (async () => {
        try {
          if (!ack || 'error' in ack) return;
          if ('reload' in ack && ack.reload) {
            // Too far behind: the first page again; pushes go on from where the file is (those at or
            // below the page's lastSeq are skipped by drain).
            await view.reload();
          } else if ('changes' in ack) {
            held.push(...ack.changes);
            // The answer itself is in seq order from `after`: anything it lacks, it is asked again.
            if (ack.lastSeq > Math.max(view.lastSeq, ...ack.changes.map((c) => c.seq))) again = true;
          }
          if (ack.ended) {
            subscribing = false;
            drain();
            stop();
            return;
          }
        } catch {
          again = true;
        } finally {
          subscribing = false;
        }
        drain();
        if (again && !stopped) {
          again = false;
          subscribe();
        } else if (!stopped && !subscribing) {
          state('live');
        }
      })();
    });
  }

  void import('socket.io-client').then(({ io }) => {
    if (stopped) return;
    const s: LiveSocket = io(READER_NAMESPACE, { transports: ['websocket', 'polling'] });
    socket = s;
    s.on('connect', () => {
      paused(false);
      subscribe();
    });
    s.on('disconnect', () => {
      subscribing = false;
      if (stopped) return;
      state('paused');
      paused(true);
    });
    s.on('change', (c) => {
      held.push(c);
      if (!subscribing) drain();
    });
    s.on('ended', (e) => {
      if (e?.slug === view.slug) stop();
    });
  }, () => paused(true));
}

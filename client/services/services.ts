import { createContext } from '@lit/context';
import type { AccountView } from '../../shared/schemas/account.js';
import type { ApiClient } from './apiClient.js';
import type { RealtimeClient } from './realtimeClient.js';

/** What every page needs, provided once by ld-app through @lit/context. */
export interface Services {
  api: ApiClient;
  realtime: RealtimeClient;
  /** ws(s)://host/collab — WebsocketProvider appends `/<docName>`. */
  collabUrl: string;
  /** The signed-in account; pages are only rendered with one. */
  account: AccountView;
  navigate(path: string): void;
  /** Called by controllers when the server says the session is gone (401, refused upgrade, revoked). */
  sessionLost(reason: string): void;
}

export const servicesContext = createContext<Services>(Symbol('ld-services'));

export function collabUrlFor(loc: Location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/collab`;
}

/** A UUID for idempotency keys; crypto.randomUUID is missing on plain-http LAN origins. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

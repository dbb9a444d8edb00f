import type { AccountView } from '../../../shared/schemas/account.js';
import type { AccountRecord } from '../../store/Store.js';

export function presentAccount(a: AccountRecord): AccountView {
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, color: a.color, newsroomId: a.newsroomId };
}

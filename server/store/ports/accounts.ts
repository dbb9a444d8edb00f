import type { Role } from '../../../shared/roles.js';

/** Accounts: one record per person in a newsroom. Usernames are unique case-insensitively. */
export interface AccountRecord {
  id: string;
  newsroomId: string;
  username: string;
  /** Lower-cased username, unique. */
  usernameKey: string;
  displayName: string;
  role: Role;
  color: string;
  passwordHash: string;
  active: boolean;
  /** Made by invite and the person has not set her password through the link yet. */
  invitePending?: boolean;
  /** Last sign-in, request or connection of any of her sessions (at most once a minute). */
  lastActiveAt?: string;
  createdAt: string;
  updatedAt: string;
}
export type NewAccount = Omit<AccountRecord, 'createdAt' | 'updatedAt' | 'lastActiveAt'>;
export type AccountPatch = Partial<Pick<AccountRecord, 'displayName' | 'role' | 'color' | 'passwordHash' | 'active' | 'invitePending'>>;

export interface AccountRepo {
  /** Throws DuplicateKeyError when the username is taken. */
  create(account: NewAccount): Promise<AccountRecord>;
  findById(id: string): Promise<AccountRecord | null>;
  findByUsername(username: string): Promise<AccountRecord | null>;
  list(newsroomId: string): Promise<AccountRecord[]>;
  update(id: string, patch: AccountPatch): Promise<AccountRecord | null>;
  /** Sets `lastActiveAt` without bumping `updatedAt` (activity is not a change of the account). */
  recordActivity(id: string, at: string): Promise<void>;
  count(): Promise<number>;
}

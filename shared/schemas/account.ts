import { z } from 'zod';
import { ROLES } from '../roles.js';
import { Limits } from '../limits.js';
import { safeText } from '../text.js';
import { Id } from './ids.js';

export const AccountView = z.object({
  id: Id,
  username: safeText(),
  displayName: safeText(),
  role: z.enum(ROLES),
  color: z.string(),
  newsroomId: Id,
});
export type AccountView = z.infer<typeof AccountView>;

export const SignInRequest = z.strictObject({
  username: safeText().trim().min(1).max(Limits.usernameMax),
  password: safeText().min(1).max(Limits.passwordMax),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** Letters, digits, `.`, `_` and `-`, starting with a letter or digit: never an operator (`$gt`) or a path (`a.b` is fine, `$` is not). */
export const Username = safeText()
  .trim()
  .min(2)
  .max(Limits.usernameMax)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dots, dashes and underscores, starting with a letter or digit');
export const DisplayName = safeText().trim().min(1).max(Limits.displayNameMax);
export const NewPassword = safeText().min(Limits.passwordMin).max(Limits.passwordMax);

/** How a new person gets in: a first password shown once to the admin, or a one-time invite link. */
export const AccountMode = z.enum(['password', 'invite']);
export type AccountMode = z.infer<typeof AccountMode>;

/** POST /api/accounts (admin). Unknown keys, `$`-operators included, are refused (strict). */
export const CreateAccountRequest = z.strictObject({
  username: Username,
  displayName: DisplayName,
  role: z.enum(ROLES),
  mode: AccountMode,
});
export type CreateAccountRequest = z.infer<typeof CreateAccountRequest>;

/** PATCH /api/accounts/:accountId (admin): at least one field. */
export const UpdateAccountRequest = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    active: z.boolean().optional(),
    displayName: DisplayName.optional(),
  })
  .refine((r) => r.role !== undefined || r.active !== undefined || r.displayName !== undefined, { message: 'name a field to change: role, active or displayName' });
export type UpdateAccountRequest = z.infer<typeof UpdateAccountRequest>;

export const AccountParams = z.strictObject({ accountId: Id });

/** An account as the admin page lists it. */
export const AdminAccountView = AccountView.extend({
  active: z.boolean(),
  /** Invited and not signed in through the link yet. */
  invitePending: z.boolean(),
  lastActiveAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AdminAccountView = z.infer<typeof AdminAccountView>;

/** 201 of POST /api/accounts: the secret is in this answer only, never stored in clear. */
export interface CreatedAccount {
  account: AdminAccountView;
  initialPassword?: string;
  inviteUrl?: string;
  inviteExpiresAt?: string;
}

/** One of the signed-in person's sessions (GET /api/sessions). */
export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string;
  userAgent: string | null;
  /** The session of this request. */
  current: boolean;
}

/** An invite link's token: 43 url-safe characters (256 random bits). */
export const InviteParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be an invite token') });

/** GET /api/invites/:token: whom the link is for. */
export interface InviteView {
  username: string;
  displayName: string;
  expiresAt: string;
}

/** POST /api/invites/:token: the person's own password; she is signed in. */
export const AcceptInviteRequest = z.strictObject({ password: NewPassword });
export type AcceptInviteRequest = z.infer<typeof AcceptInviteRequest>;

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

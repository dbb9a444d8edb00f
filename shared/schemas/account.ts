import { z } from 'zod';
import { ROLES } from '../roles.js';
import { Limits } from '../limits.js';
import { Id } from './ids.js';

export const AccountView = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  color: z.string(),
  newsroomId: Id,
});
export type AccountView = z.infer<typeof AccountView>;

export const SignInRequest = z.strictObject({
  username: z.string().trim().min(1).max(Limits.usernameMax),
  password: z.string().min(1).max(Limits.passwordMax),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '../../shared/errors.js';
import type { Role } from '../../shared/roles.js';
import { AppError } from '../errors.js';
import type { AccountService, SignedIn } from '../features/accounts/AccountService.js';
import { sessionTokenOf } from '../edgeSupport/sessionCookie.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: SignedIn;
  }
}

/** Resolves the session cookie; routes that need it call requireAuth. */
export function createAuthenticate(accounts: AccountService) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const auth = await accounts.resolveSession(sessionTokenOf(req));
    if (auth) req.auth = auth;
    next();
  };
}

export function requireAuth(req: Request): SignedIn {
  if (!req.auth) throw new AppError(ErrorCode.Unauthenticated, 'Sign in first.');
  return req.auth;
}

export function requireRole(req: Request, roles: readonly Role[], action: string): SignedIn {
  const auth = requireAuth(req);
  if (!roles.includes(auth.account.role)) throw new AppError(ErrorCode.Forbidden, `Your role cannot ${action}.`);
  return auth;
}

import { randomBytes } from 'node:crypto';

/** 16 url-safe characters (96 random bits): ids for accounts, files, entries, sessions. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

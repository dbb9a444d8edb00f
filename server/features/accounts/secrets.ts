import { randomInt } from 'node:crypto';
import { newSessionToken } from './sessionTokens.js';

/** No 0/o, 1/l/i: read off a screen and typed on a phone without doubt. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A first password an admin hands over once: four groups of four (about 79 random bits). */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

/** An invite link's token and the hash the store keeps (as for sessions: a leaked database opens nothing). */
export function newInviteToken(): { token: string; id: string } {
  return newSessionToken();
}

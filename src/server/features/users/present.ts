import { createHash } from 'node:crypto';
import type { User } from '../../../contract/auth.js';
import type { AuthUser } from '../../platform/auth.js';
import type { UserRow } from '../../db/schema/index.js';

/** `@u_` + the first 6 hex characters of sha1(user id): the name of someone who chose none. */
export function defaultDisplayName(userId: string): string {
  return `@u_${createHash('sha1').update(userId).digest('hex').slice(0, 6)}`;
}

export function displayNameOf(user: { id: string; displayName: string | null }): string {
  return user.displayName ?? defaultDisplayName(user.id);
}

/** The user as they see themselves (with email); never use for other people. */
export function presentSelf(user: UserRow | AuthUser): User {
  return {
    id: user.id,
    email: user.email,
    displayName: displayNameOf(user),
    role: user.role as User['role'],
    createdAt: user.createdAt.toISOString(),
  };
}

import type { User } from '../../../contract/auth.js';
import { checkDisplayName } from '../../../contract/display-name.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { transaction, type Transact } from '../../platform/unit-of-work.js';
import { displayNameOf, presentSelf } from './present.js';
import { listDisplayNames, updateUser } from './repo.js';

export type UsersDeps = { db: Db; clock: Clock; transact?: Transact };

/** Sets the display name (trimmed, 1–50 characters, no control characters); null restores the default. */
export async function updateProfile(deps: UsersDeps, actor: AuthUser, input: { displayName: string | null }): Promise<User> {
  let displayName: string | null = null;
  if (input.displayName !== null) {
    const checked = checkDisplayName(input.displayName);
    if (!checked.ok) throw new ValidationError([{ path: 'body.displayName', message: checked.message }]);
    displayName = checked.value;
  }
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const row = await updateUser(tx, actor.id, { displayName }, deps.clock.now());
    if (!row) throw new NotFoundError();
    return presentSelf(row);
  });
}

/** The display names of these users (the default name for one who chose none), by id; unknown ids are absent. */
export async function displayNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await listDisplayNames(db, ids);
  return new Map(rows.map((r) => [r.id, displayNameOf(r)]));
}

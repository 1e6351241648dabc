import { isDuplicateKeyError } from '../database/database-errors';

/** The outcome of a find-or-create step of composite start. */
export interface FoundOrCreated {
  id: number;
  created: boolean;
}

/** Attempts before giving up on a key that keeps being created and completed under our feet. */
const ATTEMPTS = 3;

/**
 * What an earlier lookup of the same key answered: the id found, or null for none. It stands in for the first
 * find; at READ COMMITTED an answer read just before the transaction is as current as one read inside it.
 */
export type KnownId = number | null | undefined;

/** How a composite step may shortcut or prepare its find-or-create. */
export interface FindOrStartOptions {
  /** What a lookup just answered for this key (see KnownId). */
  known?: KnownId;
  /** Runs just before a new row is inserted (composite start locks the service there). */
  beforeCreate?: () => Promise<void>;
}

/**
 * Find-or-create that stays correct when concurrent requests race for the same key. The unique index over
 * (match key, active marker) lets only one INSERT win; a loser gets a duplicate-key error and, because
 * transactions run at READ COMMITTED, the SELECT after it sees the winner's committed row. `onDuplicate`
 * may free a key held by a row that `find` no longer sees (an expired service, say) before the next try.
 */
export async function findOrCreate(
  find: () => Promise<number | undefined>,
  create: () => Promise<number>,
  known?: KnownId,
  onDuplicate: () => Promise<void> = () => Promise.resolve(),
): Promise<FoundOrCreated> {
  for (let attempt = 1; ; attempt++) {
    const found = attempt === 1 && known !== undefined ? (known ?? undefined) : await find();
    if (found !== undefined) return { id: found, created: false };
    try {
      return { id: await create(), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error) || attempt >= ATTEMPTS) throw error;
      await onDuplicate();
    }
  }
}

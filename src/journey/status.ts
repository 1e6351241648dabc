/** Which objects a read selects by lifecycle: every one, the active ones, or the completed ones. */
export type Status = 'all' | 'active' | 'completed';

/** One page of a list (docs/API.md §4.4). */
export interface Page {
  limit: number;
  offset: number;
}

import { Status } from '../journey/status';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

/** Groups rows by a numeric key (children by their parent's id). */
export function groupBy<T>(rows: T[], key: (row: T) => number | null): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * The nested arrays of a representation (`active_states` / `completed_states`, `active_tasks` /
 * `completed_tasks`): only those the status asks for, each possibly empty.
 */
export function nestedArrays<T extends TrackedObjectEntity, J>(
  name: 'states' | 'tasks',
  rows: T[],
  status: Status | undefined,
  toJson: (row: T) => J,
): Record<string, J[]> {
  if (!status) return {};
  const arrays: Record<string, J[]> = {};
  if (status !== 'completed')
    arrays[`active_${name}`] = rows.filter((r) => r.completedAt === null).map(toJson);
  if (status !== 'active')
    arrays[`completed_${name}`] = rows.filter((r) => r.completedAt !== null).map(toJson);
  return arrays;
}

import { EXTENSION_NAME } from '../validation/extensions';

/** Which extensions of one level to return: all, none, or those named. */
export type NameFilter = 'all' | 'none' | Set<string>;

export type Level = 'service' | 'state' | 'task';

/** The extensions to return at each level of a response (docs/API.md §5). */
export type ExtensionSelection = Record<Level, NameFilter>;

const LEVEL_PREFIXES = new Map<string, Level>([
  ['State', 'state'],
  ['Task', 'task'],
]);

function items(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isSelectorItem(item: string): boolean {
  if (item === '*' || LEVEL_PREFIXES.has(item)) return true;
  const dot = item.indexOf('.');
  if (dot < 0) return EXTENSION_NAME.test(item);
  const name = item.slice(dot + 1);
  return LEVEL_PREFIXES.has(item.slice(0, dot)) && (name === '*' || EXTENSION_NAME.test(name));
}

/** Why an `extensions` selector cannot be understood, or undefined when it can. */
export function extensionSelectorProblem(raw: string): string | undefined {
  const bad = items(raw).find((item) => !isSelectorItem(item));
  return bad === undefined
    ? undefined
    : `has "${bad}": use names, State.<name>, Task.<name>, State.*, Task.* or *`;
}

function add(filter: NameFilter, name: string): NameFilter {
  if (filter === 'all' || name === '*') return 'all';
  return new Set([...(filter === 'none' ? [] : filter), name]);
}

/**
 * Parses `extensions=A,B,State.C,Task.*,*` for a response whose top-level object is `top`: plain names
 * select the top level's extensions, `State.`/`Task.` prefixed ones those of that level (the top level
 * itself when it is a state or a task), `State`/`State.*` every extension of that level, `*` everything.
 * The selector must have passed `extensionSelectorProblem`.
 */
export function parseExtensionSelection(raw: string | undefined, top: Level): ExtensionSelection {
  const selection: ExtensionSelection = { service: 'none', state: 'none', task: 'none' };
  for (const item of items(raw)) {
    if (item === '*') return { service: 'all', state: 'all', task: 'all' };
    const dot = item.indexOf('.');
    const level = LEVEL_PREFIXES.get(dot < 0 ? item : item.slice(0, dot));
    if (level) selection[level] = add(selection[level], dot < 0 ? '*' : item.slice(dot + 1));
    else selection[top] = add(selection[top], item);
  }
  return selection;
}

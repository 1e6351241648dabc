import { existsSync, readFileSync } from 'node:fs';

/*
 * BUSINESS_ATTRIBUTES_FILE in Genesys's BusinessAttribute model (docs/API.md §6.6): a JSON array of
 * attributes, each with its values and the Context Services fields it governs (`cv_attributes`, such as
 * `Service.type` or `State.media_type`). Read with the rest of the configuration, so that a malformed file
 * stops the boot before the database is touched.
 */

export const LEVELS = ['Service', 'State', 'Task'] as const;
export type Level = (typeof LEVELS)[number];

/** The fields of each level an attribute may govern: the "type fields" (docs/API.md §2.1). */
export const GOVERNABLE_FIELDS = [
  'type',
  'disposition',
  'media_type',
  'application_type',
  'resource_type',
] as const;
export type GovernableField = (typeof GOVERNABLE_FIELDS)[number];

/** `Service.type`, `State.media_type`, …: one field of one level. */
export type CvAttribute = `${Level}.${GovernableField}`;

export const CV_ATTRIBUTES: readonly CvAttribute[] = LEVELS.flatMap((level) =>
  GOVERNABLE_FIELDS.map((field): CvAttribute => `${level}.${field}`),
);

export interface AttributeValue {
  name: string;
  dbid?: number;
  display_name?: string;
  description?: string;
}

export interface BusinessAttribute extends AttributeValue {
  cv_attributes?: CvAttribute[];
  values: AttributeValue[];
}

type Problem = string | undefined;

const isText = (value: unknown, max: number) =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

/** What is wrong with the optional fields an attribute shares with its values, if anything. */
function describedProblem(item: Record<string, unknown>): Problem {
  if (!isText(item.name, 64)) return '"name" must be a string of 1 to 64 characters';
  if (item.dbid !== undefined && !Number.isSafeInteger(item.dbid))
    return '"dbid" must be an integer';
  for (const key of ['display_name', 'description'] as const) {
    if (item[key] !== undefined && !isText(item[key], 1024))
      return `"${key}" must be a string of 1 to 1024 characters`;
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function attributeProblem(item: unknown, governed: Set<string>): Problem {
  if (!isObject(item)) return 'must be an object';
  const own = describedProblem(item);
  if (own) return own;
  const cv = item.cv_attributes;
  if (cv !== undefined) {
    if (!Array.isArray(cv)) return '"cv_attributes" must be an array';
    for (const field of cv) {
      if (!(CV_ATTRIBUTES as readonly unknown[]).includes(field))
        return `"cv_attributes" has ${JSON.stringify(field)}; known: ${CV_ATTRIBUTES.join(', ')}`;
      if (governed.has(field as string))
        return `"cv_attributes" has ${field as string}, which another attribute already governs`;
      governed.add(field as string);
    }
  }
  if (!Array.isArray(item.values)) return '"values" must be an array';
  for (const [index, value] of item.values.entries()) {
    const problem = isObject(value) ? describedProblem(value) : 'must be an object';
    if (problem) return `values[${index}]: ${problem}`;
  }
  return undefined;
}

/** Reads and checks the file (undefined when there is none); throws a message naming what is wrong. */
export function loadBusinessAttributes(file: string): BusinessAttribute[] | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new Error(`${file} must be a JSON array of business attributes`);
  }
  const governed = new Set<string>();
  const names = new Set<string>();
  for (const [index, item] of parsed.entries()) {
    const problem = attributeProblem(item, governed);
    if (problem) throw new Error(`${file}: attribute [${index}]: ${problem}`);
    const { name } = item as BusinessAttribute;
    if (names.has(name)) throw new Error(`${file}: attribute "${name}" is defined twice`);
    names.add(name);
  }
  return parsed as BusinessAttribute[];
}

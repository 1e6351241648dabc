import { getMetadataStorage } from 'class-validator';
import { isExactNumber, stringifyJson } from '../json/exact-json';
import { INHERITED } from './json-screen';

export type Extensions = Record<string, unknown>;

export const EXTENSION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface ExtensionLimits {
  maxBytes: number;
  maxDepth: number;
  /** All extensions of one object together. */
  maxTotalBytes: number;
  maxCount: number;
}

/** The extension limits of the configuration (EXTENSION_MAX_*). */
export function extensionLimitsOf(config: {
  EXTENSION_MAX_BYTES: number;
  EXTENSION_MAX_DEPTH: number;
  EXTENSION_MAX_TOTAL_BYTES: number;
  EXTENSION_MAX_COUNT: number;
}): ExtensionLimits {
  return {
    maxBytes: config.EXTENSION_MAX_BYTES,
    maxDepth: config.EXTENSION_MAX_DEPTH,
    maxTotalBytes: config.EXTENSION_MAX_TOTAL_BYTES,
    maxCount: config.EXTENSION_MAX_COUNT,
  };
}

/**
 * Base class of every body that accepts extensions (docs/API.md §5): any top-level key that is not one of the
 * class's declared (validated) fields is an extension rather than an error.
 */
export class ExtensibleDto {}

/** Any class, as class-validator's metadata storage keys them. */
export type ClassType = abstract new (...args: never[]) => object;

const knownFieldsCache = new Map<ClassType, Set<string>>();

/** The fields a DTO class declares: every property carrying a class-validator decorator. */
export function declaredFields(target: ClassType): Set<string> {
  let fields = knownFieldsCache.get(target);
  if (!fields) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
    fields = new Set(metadata.map((m) => m.propertyName));
    knownFieldsCache.set(target, fields);
  }
  return fields;
}

/** The extensions carried by a validated body: its keys that are not declared fields, in body order. */
export function extensionsOf(dto: ExtensibleDto): Extensions {
  const fields = declaredFields(dto.constructor as ClassType);
  const extensions: Extensions = {};
  for (const [key, value] of Object.entries(dto)) {
    if (!fields.has(key) && value !== undefined) extensions[key] = value;
  }
  return extensions;
}

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null || isExactNumber(value)) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

/**
 * The field names of docs/API.md §2, of any object. Extensions are returned beside these fields (§2.6), so an
 * extension may not take one of their names, even on an object that lacks that field.
 */
const FIELD_NAMES = new Set([
  'service_id',
  'state_id',
  'task_id',
  'customer_id',
  'contact_key',
  'service_type',
  'state_type',
  'task_type',
  'previous_state_id',
  'est_duration',
  'duration',
  'ttl',
  'expiration_time',
  'auto_complete_after',
  'disposition',
  'disposition_desc',
  'started',
  'completed',
  'session_id',
  'interaction_id',
  'application_type',
  'application_id',
  'resource_type',
  'resource_id',
  'media_type',
  'timestamp',
  'active_states',
  'completed_states',
  'active_tasks',
  'completed_tasks',
]);

/**
 * Names an object inherits from Object.prototype (`constructor`, `toString`…) and `prototype`: as
 * extension names they would shadow what every object has. Inside extension values they are plain data.
 */
export const isReservedName = (name: string) => INHERITED.has(name);

/** Why an extension name cannot be used, or undefined when it can. */
export function extensionNameProblem(name: string): string | undefined {
  if (!EXTENSION_NAME.test(name)) {
    return 'is not a valid extension name (a letter, then letters, digits or _, at most 64 characters)';
  }
  if (isReservedName(name)) return 'is a reserved name and cannot be used';
  return FIELD_NAMES.has(name)
    ? 'is a field of the API, not an extension, and does not belong here'
    : undefined;
}

/** Why an extension value cannot be stored, or undefined when it can. */
export function extensionValueProblem(value: unknown, limits: ExtensionLimits): string | undefined {
  const depth = depthOf(value);
  if (depth > limits.maxDepth)
    return `is nested ${depth} levels deep; at most ${limits.maxDepth} are allowed`;
  const bytes = Buffer.byteLength(stringifyJson(value), 'utf8');
  if (bytes > limits.maxBytes)
    return `is ${bytes} bytes as JSON; at most ${limits.maxBytes} are allowed`;
  return undefined;
}

/** Why all the extensions of one object together are too many or too large, or undefined. */
export function extensionsTotalProblem(
  extensions: Extensions,
  limits: ExtensionLimits,
): string | undefined {
  const count = Object.keys(extensions).length;
  if (count > limits.maxCount)
    return `are ${count}; at most EXTENSION_MAX_COUNT = ${limits.maxCount} are allowed per object`;
  const bytes = Buffer.byteLength(stringifyJson(extensions), 'utf8');
  if (bytes > limits.maxTotalBytes)
    return `are ${bytes} bytes of JSON together; at most EXTENSION_MAX_TOTAL_BYTES = ${limits.maxTotalBytes} are allowed per object`;
  return undefined;
}

/** Every problem with the extensions of one body, as (key, problem) pairs. */
export function extensionProblems(dto: ExtensibleDto, limits: ExtensionLimits): [string, string][] {
  const problems: [string, string][] = [];
  for (const [name, value] of Object.entries(extensionsOf(dto))) {
    const problem = extensionNameProblem(name) ?? extensionValueProblem(value, limits);
    if (problem) problems.push([name, problem]);
  }
  return problems;
}

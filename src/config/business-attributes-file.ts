import { existsSync, readFileSync } from 'node:fs';

/** The business attributes whose values a deployment may restrict (BUSINESS_ATTRIBUTES_FILE). */
export const BUSINESS_ATTRIBUTES = [
  'Service.type',
  'State.type',
  'Task.type',
  '*.disposition',
  '*.media_type',
  '*.application_type',
  '*.resource_type',
] as const;

export type BusinessAttribute = (typeof BUSINESS_ATTRIBUTES)[number];

export interface AttributeValue {
  name: string;
  id: number;
}

export type AttributeCatalog = Partial<Record<BusinessAttribute, AttributeValue[]>>;

function isAttributeValue(value: unknown): value is AttributeValue {
  const v = value as AttributeValue;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    v.name.length > 0 &&
    v.name.length <= 64 &&
    Number.isSafeInteger(v.id)
  );
}

/** Reads and checks the catalogue file; throws a message naming what is wrong, so the boot stops. */
export function loadCatalog(file: string): AttributeCatalog | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must be a JSON object of attribute name → [{ "name", "id" }]`);
  }
  for (const [attribute, values] of Object.entries(parsed)) {
    if (!(BUSINESS_ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw new Error(
        `${file}: unknown attribute "${attribute}" (known: ${BUSINESS_ATTRIBUTES.join(', ')})`,
      );
    }
    if (!Array.isArray(values) || !values.every(isAttributeValue)) {
      throw new Error(
        `${file}: "${attribute}" must be an array of { "name": string, "id": integer }`,
      );
    }
  }
  return parsed;
}

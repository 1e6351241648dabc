import { Inject, Injectable, Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { AppConfig, appConfig } from '../config/app-config';
import { BUSINESS_ATTRIBUTES, BusinessAttribute } from './business-attribute.decorator';

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

/**
 * The allowed values of business attributes (types, dispositions, media…), from BUSINESS_ATTRIBUTES_FILE.
 * Without the file every value is accepted. A value is allowed by its name or by its numeric id.
 */
@Injectable()
export class BusinessAttributesService {
  readonly catalog: AttributeCatalog | undefined;
  private readonly allowed = new Map<BusinessAttribute, Set<string>>();

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.catalog = loadCatalog(config.BUSINESS_ATTRIBUTES_FILE);
    for (const [attribute, values] of Object.entries(this.catalog ?? {})) {
      this.allowed.set(
        attribute as BusinessAttribute,
        new Set(values.flatMap((v) => [v.name, String(v.id)])),
      );
    }
    new Logger('BusinessAttributes').log(
      this.catalog
        ? `checking ${this.allowed.size} attributes against ${config.BUSINESS_ATTRIBUTES_FILE}`
        : `no ${config.BUSINESS_ATTRIBUTES_FILE}: attribute values are not checked`,
    );
  }

  /** Why the value is not allowed for the attribute (listing the valid ones), or undefined when it is. */
  problem(attribute: BusinessAttribute, value: string): string | undefined {
    const allowed = this.allowed.get(attribute);
    if (!allowed || allowed.has(value)) return undefined;
    const valid = (this.catalog?.[attribute] ?? []).map((v) => `${v.name} (${v.id})`).join(', ');
    return `is not a valid ${attribute}; valid values: ${valid}`;
  }
}

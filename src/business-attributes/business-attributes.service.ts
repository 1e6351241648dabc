import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, appConfig } from '../config/app-config';
import { AttributeCatalog, BusinessAttribute } from '../config/business-attributes-file';

/**
 * The allowed values of business attributes (types, dispositions, media…), from BUSINESS_ATTRIBUTES_FILE.
 * Without the file every value is accepted. A value is allowed by its name or by its numeric id.
 */
@Injectable()
export class BusinessAttributesService {
  readonly catalog: AttributeCatalog | undefined;
  private readonly allowed = new Map<BusinessAttribute, Set<string>>();

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.catalog = config.businessAttributes;
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

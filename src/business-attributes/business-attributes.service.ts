import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, appConfig } from '../config/app-config';
import { BusinessAttribute } from '../config/business-attributes-file';

/**
 * The business attributes of BUSINESS_ATTRIBUTES_FILE (docs/API.md §6.6). An attribute governs exactly the
 * fields its `cv_attributes` names: a value there must be one of its values, by name or by DBID. Without
 * the file, or for a field no attribute governs, every value is accepted.
 */
@Injectable()
export class BusinessAttributesService {
  readonly attributes: BusinessAttribute[];
  /** `cv_attributes` name → the attribute governing it and the values it accepts. */
  private readonly governed = new Map<
    string,
    { attribute: BusinessAttribute; allowed: Set<string> }
  >();

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.attributes = config.businessAttributes ?? [];
    for (const attribute of this.attributes) {
      const allowed = new Set(
        attribute.values.flatMap((v) =>
          v.dbid === undefined ? [v.name] : [v.name, String(v.dbid)],
        ),
      );
      for (const field of attribute.cv_attributes ?? [])
        this.governed.set(field, { attribute, allowed });
    }
    new Logger('BusinessAttributes').log(
      config.businessAttributes
        ? `${this.attributes.length} attributes from ${config.BUSINESS_ATTRIBUTES_FILE}, governing ${this.governed.size} fields`
        : `no ${config.BUSINESS_ATTRIBUTES_FILE}: attribute values are not checked`,
    );
  }

  named(name: string): BusinessAttribute | undefined {
    return this.attributes.find((attribute) => attribute.name === name);
  }

  /** The attribute governing a field (`Service.media_type`), if any. */
  governing(cvAttribute: string): BusinessAttribute | undefined {
    return this.governed.get(cvAttribute)?.attribute;
  }

  /** Why the value is not allowed in that field (listing the valid ones), or undefined when it is. */
  problem(cvAttribute: string, value: string): string | undefined {
    const governed = this.governed.get(cvAttribute);
    if (!governed || governed.allowed.has(value)) return undefined;
    const valid = governed.attribute.values
      .map((v) => (v.dbid === undefined ? v.name : `${v.name} (${v.dbid})`))
      .join(', ');
    return `is not a valid ${governed.attribute.name} (${cvAttribute}); valid values: ${valid}`;
  }
}

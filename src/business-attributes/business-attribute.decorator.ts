import { BusinessAttribute } from '../config/business-attributes-file';

const METADATA = Symbol('businessAttribute');

/** Marks a DTO field whose values must be among the configured values of `attribute`, when configured. */
export function BusinessAttributeField(attribute: BusinessAttribute): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(METADATA, attribute, target, property);
}

/** The business attribute a DTO field holds, if any. */
export function businessAttributeOf(dto: object, field: string): BusinessAttribute | undefined {
  return Reflect.getMetadata(METADATA, dto, field) as BusinessAttribute | undefined;
}

import { GovernableField, Level } from '../config/business-attributes-file';

const FIELD = Symbol('businessAttributeField');
const LEVEL = Symbol('journeyLevel');

/**
 * Marks a DTO field that a business attribute may govern, by its name in the Genesys model (`type` for
 * `service_type`, `state_type`, `task_type`).
 */
export function BusinessAttributeField(field: GovernableField): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(FIELD, field, target, property);
}

/** Says which level a body describes: its marked fields are `<Level>.<field>` (`State.media_type`). */
export function JourneyLevel(level: Level): ClassDecorator {
  return (target) => Reflect.defineMetadata(LEVEL, level, target);
}

/** Decorators run once per class: their answers, by class and field (validation asks for every field of every body). */
const namesByClass = new Map<object, Map<string, string | null>>();

/** The `cv_attributes` name of a DTO field (`Service.type`), when the field is marked and its DTO has a level. */
export function cvAttributeOf(dto: object, field: string): string | undefined {
  let names = namesByClass.get(dto.constructor);
  if (!names) namesByClass.set(dto.constructor, (names = new Map<string, string | null>()));
  let name = names.get(field);
  if (name === undefined) {
    const governed = Reflect.getMetadata(FIELD, dto, field) as GovernableField | undefined;
    const level = Reflect.getMetadata(LEVEL, dto.constructor) as Level | undefined;
    name = governed && level ? `${level}.${governed}` : null;
    names.set(field, name);
  }
  return name ?? undefined;
}

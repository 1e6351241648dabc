import {
  getMetadataStorage,
  ValidationArguments,
  ValidationTypes,
  ValidatorConstraintInterface,
} from 'class-validator';

/*
 * This module reads class-validator's metadata storage and follows its executor's order of checks, neither
 * of which is public API. package.json therefore pins class-validator to the exact release it was proven
 * on (0.15.1): proven-valid.spec.ts holds both to one verdict on generated bodies of every DTO the pipe
 * receives, and an upgrade must pass it before the pin moves.
 */

/** The part of class-validator's ValidationMetadata a check reads. */
interface RuleMetadata {
  type: string;
  propertyName: string;
  constraints: unknown[];
  constraintCls: new (...args: unknown[]) => unknown;
  each: boolean;
  validateIf?: Condition;
}

type Condition = (object: object, value: unknown) => boolean;

interface ConstraintMetadata {
  async: boolean;
  instance: ValidatorConstraintInterface;
}

/** What class-validator checks of one property, sorted the way its executor sorts them. */
interface PropertyPlan {
  name: string;
  conditions: RuleMetadata[];
  defined: RuleMetadata[];
  custom: RuleMetadata[];
  nested: RuleMetadata[];
}

const storage = getMetadataStorage();
/** A DTO class, as class-validator keys its metadata. */
type DtoClass = Parameters<typeof storage.getTargetValidationMetadatas>[0];
const plans = new Map<DtoClass, PropertyPlan[] | null>();

/**
 * The rules of a class, read once from class-validator's own metadata (which its executor filters again
 * on every call, walking every registered class for inherited rules). Null when a rule is of a kind this
 * module does not follow (promise validation, a whitelist): then nothing of that class is ever proven.
 */
function planOf(type: DtoClass): PropertyPlan[] | null {
  let plan = plans.get(type);
  if (plan !== undefined) return plan;
  const metadata = storage.getTargetValidationMetadatas(
    type,
    '',
    false,
    false,
    undefined,
  ) as unknown as RuleMetadata[];
  const followed = new Set<string>([
    ValidationTypes.CONDITIONAL_VALIDATION,
    ValidationTypes.IS_DEFINED,
    ValidationTypes.CUSTOM_VALIDATION,
    ValidationTypes.NESTED_VALIDATION,
  ]);
  if (metadata.some((rule) => !followed.has(rule.type))) {
    plan = null;
  } else {
    const byName = new Map<string, RuleMetadata[]>();
    for (const rule of metadata) {
      byName.set(rule.propertyName, [...(byName.get(rule.propertyName) ?? []), rule]);
    }
    plan = [...byName].map(([name, rules]) => ({
      name,
      conditions: rules.filter((r) => r.type === ValidationTypes.CONDITIONAL_VALIDATION),
      defined: rules.filter((r) => r.type === ValidationTypes.IS_DEFINED),
      custom: rules.filter((r) => r.type === ValidationTypes.CUSTOM_VALIDATION),
      nested: rules.filter((r) => r.type === ValidationTypes.NESTED_VALIDATION),
    }));
  }
  plans.set(type, plan);
  return plan;
}

const isCollection = (value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> =>
  Array.isArray(value) || value instanceof Set || value instanceof Map;

const itemsOf = (value: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] =>
  value instanceof Map ? [...value.values()] : Array.isArray(value) ? value : [...value];

/**
 * The synchronous constraints of a rule's class (validateSync ignores asynchronous ones), looked up once:
 * the lookup ran for every rule of every object of every body.
 */
const constraintsByClass = new Map<RuleMetadata['constraintCls'], ConstraintMetadata[]>();

function constraintsOf(rule: RuleMetadata): ConstraintMetadata[] {
  let constraints = constraintsByClass.get(rule.constraintCls);
  if (!constraints) {
    constraints = (
      storage.getTargetValidatorConstraints(rule.constraintCls) as unknown as ConstraintMetadata[]
    ).filter((constraint) => !constraint.async);
    constraintsByClass.set(rule.constraintCls, constraints);
  }
  return constraints;
}

/** Every constraint of `rules` holds for `value`, each called as class-validator calls it. */
function holds(object: object, value: unknown, rules: RuleMetadata[]): boolean {
  for (const rule of rules) {
    if (rule.validateIf && !rule.validateIf(object, value)) continue;
    for (const constraint of constraintsOf(rule)) {
      const args: ValidationArguments = {
        targetName: object.constructor?.name,
        property: rule.propertyName,
        object,
        value,
        constraints: rule.constraints,
      };
      // A promise (or anything but true) is not a proof: the full validation decides.
      if (rule.each && isCollection(value)) {
        for (const item of itemsOf(value)) {
          if (constraint.instance.validate(item, args) !== true) return false;
        }
      } else if (constraint.instance.validate(value, args) !== true) {
        return false;
      }
    }
  }
  return true;
}

function nestedHolds(value: unknown, rules: RuleMetadata[]): boolean {
  if (value === undefined || rules.length === 0) return true;
  if (isCollection(value)) return itemsOf(value).every((item) => nestedHolds(item, rules));
  return value instanceof Object && objectHolds(value);
}

function objectHolds(object: object): boolean {
  const plan = planOf(object.constructor);
  if (plan === null) return false;
  for (const property of plan) {
    const value = (object as Record<string, unknown>)[property.name];
    // IsOptional and ValidateIf: a property whose condition fails is not validated at all.
    const applies = (rule: RuleMetadata) => (rule.constraints[0] as Condition)(object, value);
    if (!property.conditions.every(applies)) continue;
    if (!holds(object, value, property.defined) || !holds(object, value, property.custom)) {
      return false;
    }
    if (!nestedHolds(value, property.nested)) return false;
  }
  return true;
}

/**
 * True only when class-validator's `validateSync(dto, { forbidUnknownValues: false })` would find no
 * problem: the same rules, read from its metadata, and the same constraint objects, called in the same
 * order and with the same arguments, without building a ValidationError for every property of every
 * object as its executor does. False means "not proven", never "invalid": the pipe then runs class-validator
 * itself, so every message still comes from class-validator, the one source of every rule.
 * (`proven-valid.spec.ts` holds both to the same verdict over generated bodies.)
 */
export function provenValid(dto: object): boolean {
  return objectHolds(dto);
}

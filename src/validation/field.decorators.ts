import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ClassType } from './extensions';
import { parseIsoTimestamp } from './iso-timestamp';
import { textProblem } from './text';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsObject,
  ValidateNested,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';

/*
 * The field vocabulary of the API's bodies and queries. Each decorator states the rule once, for both the
 * validator and the OpenAPI document. Messages carry no field name: the validation pipe prefixes the path.
 */

const MAX_INT32 = 2_147_483_647;

interface FieldOptions {
  required?: boolean;
  /** Free text (a description, a note): tab and line breaks allowed, as no identifier may hold them. */
  freeText?: boolean;
  /** Required only when the named sibling field is absent ("at least one of the two"). */
  requiredUnless?: string;
  description?: string;
  example?: unknown;
}

function presence({ required, requiredUnless }: FieldOptions): PropertyDecorator {
  if (required) return IsDefined({ message: 'is required' });
  if (!requiredUnless) return IsOptional();
  return applyDecorators(
    ValidateIf(
      (object: Record<string, unknown>, value: unknown) =>
        value != null || object[requiredUnless] == null,
    ),
    IsDefined({ message: `is required when ${requiredUnless} is absent` }),
  );
}

function doc(required: boolean | undefined, options: ApiPropertyOptions): PropertyDecorator {
  return ApiProperty({ ...options, required: !!required } as ApiPropertyOptions);
}

/** A text of 1..`max` code points without control characters (text.ts); the message says which it broke. */
function IsText(
  max: number,
  freeText: boolean,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max, freeText],
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && textProblem(value, max, freeText) === undefined,
        defaultMessage: ({ value }: ValidationArguments) =>
          (typeof value === 'string' && textProblem(value, max, freeText)) ||
          `must be 1 to ${max} characters long`,
      },
    });
}

/** A string of 1..`max` characters. */
export function TextField(max: number, options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    presence(options),
    IsString({ message: 'must be a string' }),
    IsText(max, options.freeText === true),
    doc(options.required, {
      type: String,
      maxLength: max,
      description: options.description,
      example: options.example,
    }),
  );
}

/**
 * Genesys clients send ids and codes as JSON strings or integers (Genesys's own Start Task example sends
 * `"interaction_id": 42`): an integer is read as its decimal text, every digit of it (an integer past 2^53
 * arrives whole, as a bigint: json-screen's plainView). Anything else is left for the validator to refuse.
 */
const integerAsText = Transform(({ value }: { value: unknown }) =>
  (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint'
    ? String(value)
    : value,
);

/**
 * An id or code (`customer_id`, `interaction_id`…): a string of 1..`max` characters, or an integer stored
 * as its decimal text (docs/API.md §2.1).
 */
export function CodeField(max: number, options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    integerAsText,
    presence(options),
    IsString({ message: 'must be a string or an integer' }),
    IsText(max, false),
    doc(options.required, {
      oneOf: [{ type: 'string', maxLength: max }, { type: 'integer' }],
      description: options.description,
      example: options.example,
    }),
  );
}

/**
 * A "type" field (service_type, media_type, disposition…): a code of at most 64 characters, stored and
 * compared as a string (docs/API.md §2.1).
 */
export function TypeField(options: FieldOptions = {}): PropertyDecorator {
  return CodeField(64, options);
}

/**
 * Java clients hold every field as a String, so an integer may arrive as an integer-valued JSON string:
 * `"12"` (but not `"12.5"`, `" 12"`, `"1e3"` or `""`) is read as 12. Anything else is left for the
 * validator to refuse.
 */
const integerString = Transform(({ value }: { value: unknown }) =>
  (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) || typeof value === 'bigint'
    ? Number(value)
    : value,
);

/** An integer in 0..`max` (durations, application and resource ids). */
export function CountField(options: FieldOptions & { max?: number } = {}): PropertyDecorator {
  const max = options.max ?? MAX_INT32;
  return applyDecorators(
    integerString,
    presence(options),
    IsInt({ message: 'must be an integer' }),
    Min(0, { message: `must be between 0 and ${max}` }),
    Max(max, { message: `must be between 0 and ${max}` }),
    doc(options.required, {
      type: 'integer',
      minimum: 0,
      maximum: max,
      description: options.description,
      example: options.example,
    }),
  );
}

/** The id of an existing service, state or task: a positive integer. */
export function IdField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    integerString,
    presence(options),
    IsInt({ message: 'must be a positive integer' }),
    Min(1, { message: 'must be a positive integer' }),
    Max(Number.MAX_SAFE_INTEGER, { message: 'must be a positive integer' }),
    doc(options.required, {
      type: 'integer',
      minimum: 1,
      description: options.description,
      example: options.example,
    }),
  );
}

function IsIsoTimestamp(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseIsoTimestamp(value) !== undefined,
      },
    });
}

/** An ISO 8601 timestamp such as 2026-11-27T15:23:34.447Z. */
export function TimestampField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    presence(options),
    IsIsoTimestamp({ message: 'must be an ISO 8601 timestamp such as 2026-11-27T15:23:34.447Z' }),
    doc(options.required, {
      type: String,
      format: 'date-time',
      description: options.description,
      example: options.example ?? '2026-11-27T15:23:34.447Z',
    }),
  );
}

/** A boolean that also accepts the strings "true" and "false" (the seed's own example sends "true"). */
export function BooleanField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    presence(options),
    IsBoolean({ message: 'must be true or false (or the strings "true" / "false")' }),
    doc(options.required, {
      oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }],
      description: options.description,
      example: options.example,
    }),
  );
}

/** A nested JSON object validated as `type()` (and so carrying that class's rules and extensions). */
export function NestedField(type: () => ClassType, options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    presence(options),
    IsObject({ message: 'must be a JSON object' }),
    ValidateNested(),
    Type(type),
    // @nestjs/swagger takes a function for a lazy type only when it is named `type` (the name an arrow
    // gets as the `type:` property of an object literal); `type` itself arrives nameless, and would be
    // documented as a reference to a schema without a name.
    doc(options.required, { type: () => type(), description: options.description }),
  );
}

/** A non-empty JSON array of objects, each validated as `type()`. */
export function NestedArrayField(
  type: () => ClassType,
  options: FieldOptions = {},
): PropertyDecorator {
  return applyDecorators(
    presence(options),
    IsArray({ message: 'must be a JSON array' }),
    ArrayNotEmpty({ message: 'must not be empty' }),
    IsObject({ each: true, message: 'must contain only JSON objects' }),
    ValidateNested({ each: true }),
    Type(type),
    doc(options.required, { type: [type()], description: options.description }),
  );
}

/** An integer query parameter (query strings carry text: "25" becomes 25, anything else is refused). */
export function IntegerQueryField(
  options: FieldOptions & { min: number; max: number },
): PropertyDecorator {
  const range = `must be an integer from ${options.min} to ${options.max}`;
  return applyDecorators(
    integerString,
    presence(options),
    IsInt({ message: range }),
    Min(options.min, { message: range }),
    Max(options.max, { message: range }),
    doc(options.required, {
      type: 'integer',
      minimum: options.min,
      maximum: options.max,
      description: options.description,
      example: options.example,
    }),
  );
}

const REPEATABLE = Symbol('repeatableQueryParameter');

/**
 * Marks a list-valued query parameter: given several times (`extensions=A&extensions=B`, as RestAssured
 * sends a list), its values are read as one comma list. Any other parameter may be given once.
 */
export function RepeatableQueryParameter(): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(REPEATABLE, true, target, property);
}

/** Whether the query DTO class takes `name` several times. */
export function isRepeatableQueryParameter(type: ClassType, name: string): boolean {
  return Reflect.getMetadata(REPEATABLE, type.prototype as object, name) === true;
}

/** A comma-separated list of type values (`service_types=Sales,Support`). */
export function TypeListQueryField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    RepeatableQueryParameter(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value,
    ),
    presence(options),
    IsString({ each: true, message: 'must be a comma-separated list of types' }),
    IsText(64, false, { each: true, message: 'must list types of 1 to 64 characters' }),
    doc(options.required, {
      type: String,
      description: options.description,
      example: options.example,
    }),
  );
}

import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export type DtoClass = new () => object;

const SRC = path.join(__dirname, '..', '..', 'src');
/** The metadata keys @nestjs/swagger's ApiProperty writes (its constants are not exported). */
const MODEL_PROPERTIES = 'swagger/apiModelProperties';
const MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const VALIDATED: number[] = [RouteParamtypes.BODY, RouteParamtypes.QUERY];

/**
 * Every class the validation pipe receives: the `@Body()` and `@Query()` parameter types of every route of
 * every controller under src/, read from the decorators Nest routes by, so that a new operation's DTO is
 * found without being listed anywhere.
 */
export function requestDtos(): DtoClass[] {
  const found = new Set<DtoClass>();
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.controller.ts'),
  );
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(SRC, file)) as Record<string, unknown>;
    for (const controller of Object.values(exported)) {
      if (typeof controller !== 'function') continue;
      const prototype = controller.prototype as object;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
          string,
          { index: number }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ??
          []) as unknown[];
        for (const [key, { index }] of Object.entries(args)) {
          if (!VALIDATED.includes(Number(key.split(':')[0]))) continue;
          const type = types[index];
          if (typeof type === 'function' && type !== Object) found.add(type as DtoClass);
        }
      }
    }
  }
  return [...found];
}

interface PropertyDoc {
  type?: unknown;
  isArray?: boolean;
  required?: boolean;
  example?: unknown;
  enum?: unknown[];
}

/** What the OpenAPI decorators say of each property of `type` (its own and inherited). */
function propertiesOf(type: DtoClass): [string, PropertyDoc][] {
  const prototype = type.prototype as object;
  const names = (Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, prototype) ?? []) as string[];
  return [...new Set(names.map((name) => name.replace(/^:/, '')))].map((name) => [
    name,
    (Reflect.getMetadata(MODEL_PROPERTIES, prototype, name) ?? {}) as PropertyDoc,
  ]);
}

/** Values every field meets now and then: wrong types, empty, too long, out of range, null. */
const HOSTILE = fc.constantFrom<unknown>(
  null,
  '',
  'x'.repeat(200),
  ' padded ',
  -1,
  0,
  1.5,
  2 ** 40,
  true,
  'true',
  '2026-02-30T00:00:00Z',
  '2026-03-04T05:06:07.089Z',
  {},
  [],
  ['a', 'b'],
  'a,b',
  'Sales',
  '42',
);

/** The class a nested property holds, when the OpenAPI decorator names one (lazily or not). */
function nestedClass(doc: PropertyDoc): DtoClass | undefined {
  const type = doc.type;
  if (
    typeof type !== 'function' ||
    [String, Number, Boolean, Object, Array].includes(type as never)
  )
    return undefined;
  // A lazy type (`type: () => Dto`) is an arrow function, which has no prototype.
  const resolved = type.prototype === undefined ? (type as () => unknown)() : type;
  return typeof resolved === 'function' && propertiesOf(resolved as DtoClass).length > 0
    ? (resolved as DtoClass)
    : undefined;
}

/** A value of the field's type, for a field documented without an example. */
function plainValue(type: unknown): unknown {
  if (type === Boolean || type === 'boolean') return true;
  if (type === Number || type === 'number' || type === 'integer') return 1;
  return 'x';
}

/**
 * Bodies (or queries) for any DTO, from its OpenAPI description: each field its documented example, a
 * hostile value, or (when optional, and sometimes when required) absent; nested DTOs likewise. Valid and
 * invalid bodies both come out often enough for the pipe's two verdicts to be compared.
 */
export function dtoValues(type: DtoClass, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, doc] of propertiesOf(type)) {
    const nested = depth < 4 ? nestedClass(doc) : undefined;
    const valid = nested
      ? doc.isArray
        ? fc.array(dtoValues(nested, depth + 1), { minLength: 1, maxLength: 3 })
        : dtoValues(nested, depth + 1)
      : fc.constant(doc.example ?? doc.enum?.[0] ?? plainValue(doc.type));
    fields[name] = fc.oneof({ arbitrary: valid, weight: 20 }, { arbitrary: HOSTILE, weight: 1 });
  }
  const required = propertiesOf(type)
    .filter(([, doc]) => doc.required)
    .map(([name]) => name);
  return fc.oneof(
    { arbitrary: fc.record(fields, { requiredKeys: required }), weight: 4 },
    { arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 1 },
  );
}

import { ArgumentMetadata, Inject, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { cvAttributeOf } from '../business-attributes/business-attribute.decorator';
import { BusinessAttributesService } from '../business-attributes/business-attributes.service';
import { AppConfig, appConfig } from '../config/app-config';
import { ValidationException } from '../errors/api-exceptions';
import { ErrorDetailDto } from '../errors/error-response.dto';
import { isRepeatableQueryParameter } from './field.decorators';
import { joinPath as join, plainView, screenJson } from './json-screen';
import { dropNullFields } from './null-fields';
import { provenValid } from './proven-valid';
import {
  ClassType,
  ExtensibleDto,
  ExtensionLimits,
  declaredFields,
  extensionLimitsOf,
  extensionProblems,
  extensionsOf,
  extensionsTotalProblem,
  isReservedName,
} from './extensions';

const PRIMITIVES = new Set<unknown>([String, Number, Boolean, Array, Object]);
/** How far a body may nest beyond an extension's own depth limit (composite → event → extension). */
const STRUCTURE_DEPTH = 4;

/**
 * Validates every @Body and @Query DTO: converts the plain JSON to the DTO class, checks each declared field,
 * then checks the undeclared keys of extensible DTOs as extensions. All problems are reported together,
 * each with its full path (`services[2].state.state_type`), in one 400 that changes nothing.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly limits: ExtensionLimits;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly attributes: BusinessAttributesService,
  ) {
    this.limits = extensionLimitsOf(config);
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype, type } = metadata;
    if ((type !== 'body' && type !== 'query') || !metatype || PRIMITIVES.has(metatype))
      return value;
    // No body at all is an empty one: optional bodies (end events, associations) may be left out.
    if (type === 'body' && value === undefined) value = {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw ValidationException.of('body', 'must be a JSON object');
    }
    const screening = screenJson(value, this.limits.maxDepth + STRUCTURE_DEPTH);
    if (screening.problem)
      throw ValidationException.of(screening.problem.path, screening.problem.problem);
    if (type === 'query') value = this.singleValued(value as Record<string, unknown>, metatype);

    const dto = plainToInstance(metatype, plainView(value, screening)) as object;
    if (type === 'body') {
      const reserved: ErrorDetailDto[] = [];
      this.keepExtensionValues(dto, value, '', reserved);
      if (reserved.length > 0) throw new ValidationException(reserved);
      dropNullFields(dto);
    }
    // Most bodies are valid: proving it costs a fraction of class-validator's run, which then only
    // runs to say what is wrong.
    const details = provenValid(dto)
      ? []
      : validateSync(dto, { forbidUnknownValues: false, stopAtFirstError: true }).flatMap((e) =>
          this.flatten(e, '', false),
        );
    this.collectDtoProblems(dto, '', type === 'body', details);
    if (details.length > 0) throw new ValidationException(details);
    return dto;
  }

  /**
   * A query string as its DTO reads it: a list parameter given several times becomes one comma list; any
   * other parameter given twice, or in the `name[]=` form, is a 400 naming it rather than a value silently
   * dropped. Parameters the operation does not know are left alone.
   */
  private singleValued(query: Record<string, unknown>, type: ClassType): Record<string, unknown> {
    const fields = declaredFields(type);
    const details: ErrorDetailDto[] = [];
    const read: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query)) {
      const bracket = name.indexOf('[');
      if (bracket > 0 && fields.has(name.slice(0, bracket))) {
        details.push({
          path: name.slice(0, bracket),
          problem: `is given as ${name}: give it as ${name.slice(0, bracket)}=…`,
        });
      } else if (!Array.isArray(value) || !fields.has(name)) {
        read[name] = value;
      } else if (isRepeatableQueryParameter(type, name)) {
        read[name] = value.join(',');
      } else {
        details.push({ path: name, problem: `must be given once (got ${value.length} values)` });
      }
    }
    if (details.length > 0) throw new ValidationException(details);
    return read;
  }

  /**
   * Puts every extension back exactly as parsed. class-transformer copies undeclared values by assignment
   * and skips keys that objects inherit (`constructor`, `toString`…), which inside an extension value are
   * data; the parsed JSON has them as own properties, where they reach no prototype. As extension names
   * such keys are refused (they would shadow what every object has).
   */
  private keepExtensionValues(
    dto: unknown,
    plain: unknown,
    path: string,
    out: ErrorDetailDto[],
  ): void {
    if (Array.isArray(dto) && Array.isArray(plain)) {
      dto.forEach((item, i) => this.keepExtensionValues(item, plain[i], `${path}[${i}]`, out));
      return;
    }
    if (typeof dto !== 'object' || dto === null || dto.constructor === Object) return;
    if (typeof plain !== 'object' || plain === null) return;
    const fields = declaredFields(dto.constructor as ClassType);
    const source = plain as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const at = join(path, key, false);
      if (fields.has(key)) {
        this.keepExtensionValues((dto as Record<string, unknown>)[key], source[key], at, out);
      } else if (isReservedName(key)) {
        out.push({ path: at, problem: 'is a reserved name and cannot be used' });
      } else if (dto instanceof ExtensibleDto) {
        Object.defineProperty(dto, key, {
          value: source[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }

  private flatten(
    error: ValidationError,
    parent: string,
    parentIsArray: boolean,
  ): ErrorDetailDto[] {
    const path = join(parent, error.property, parentIsArray);
    // A cross-field rule may report at a field below the one it decorates (its context's `path`).
    const own = Object.entries(error.constraints ?? {}).map(([constraint, problem]) => {
      const below = (error.contexts?.[constraint] as { path?: string } | undefined)?.path;
      return { path: below ? join(path, below, false) : path, problem };
    });
    const isArray = Array.isArray(error.value);
    return [
      ...own,
      ...(error.children ?? []).flatMap((child) => this.flatten(child, path, isArray)),
    ];
  }

  /**
   * Walks the DTO tree through declared fields only (never into extension values). The undeclared keys of an
   * extensible DTO are extensions and must be valid ones; elsewhere in a body they are mistakes (a typo of
   * `associate_state_task` must not be silently ignored). Query strings may carry unrelated parameters.
   * Fields holding a business attribute must have one of its configured values.
   */
  private collectDtoProblems(
    value: unknown,
    path: string,
    strict: boolean,
    out: ErrorDetailDto[],
  ): void {
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        this.collectDtoProblems(item, `${path}[${index}]`, strict, out),
      );
      return;
    }
    if (typeof value !== 'object' || value === null || value.constructor === Object) return;
    const fields = declaredFields(value.constructor as ClassType);
    if (value instanceof ExtensibleDto) {
      for (const [name, problem] of extensionProblems(value, this.limits)) {
        out.push({ path: join(path, name, false), problem });
      }
      const total = extensionsTotalProblem(extensionsOf(value), this.limits);
      if (total) out.push({ path: path || 'body', problem: `extensions ${total}` });
    } else if (strict) {
      for (const key of Object.keys(value).filter((k) => !fields.has(k))) {
        out.push({ path: join(path, key, false), problem: 'is not a known field' });
      }
    }
    for (const field of fields) {
      const child = (value as Record<string, unknown>)[field];
      const governed = cvAttributeOf(value, field);
      const problem =
        governed && typeof child === 'string' && this.attributes.problem(governed, child);
      if (problem) out.push({ path: join(path, field, false), problem });
      this.collectDtoProblems(child, join(path, field, false), strict, out);
    }
  }
}

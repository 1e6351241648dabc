import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ValidationException } from '../errors/api-exceptions';
import { extensionNameProblem } from './extensions';
import { screenJson } from './json-screen';
import { textProblem } from './text';

/** Deeper than any extension may be (EXTENSION_MAX_DEPTH is checked exactly afterwards). */
const MAX_SCREEN_DEPTH = 64;

function nameOf(metadata: ArgumentMetadata): string {
  return metadata.data ?? 'path parameter';
}

/** A path id (`service_id`, `state_id`, `task_id`): a positive integer, else 400. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = /^[1-9]\d{0,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id))
      throw ValidationException.of(nameOf(metadata), 'must be a positive integer');
    return id;
  }
}

/** A path text (`customer_id`, `contact_key`) of 1..max characters, counted and screened as in bodies. */
export class TextParamPipe implements PipeTransform<string, string> {
  constructor(private readonly max: number) {}

  transform(value: string, metadata: ArgumentMetadata): string {
    const problem = textProblem(value, this.max);
    if (problem) throw ValidationException.of(nameOf(metadata), problem);
    return value;
  }
}

/** An extension name in a path (`…/extensions/{name}`). */
@Injectable()
export class ExtensionNameParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    const problem = extensionNameProblem(value);
    if (problem) throw ValidationException.of(nameOf(metadata), problem);
    return value;
  }
}

/**
 * The body of an extension replace or merge: any JSON value, screened like every other body. Its size and
 * depth are checked by the ExtensionsPolicy, on the value as it will be stored.
 */
@Injectable()
export class JsonBodyPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown): unknown {
    if (value === undefined) throw ValidationException.of('body', 'is required: a JSON value');
    const { problem } = screenJson(value, MAX_SCREEN_DEPTH);
    if (problem) throw ValidationException.of(problem.path, problem.problem);
    return value;
  }
}

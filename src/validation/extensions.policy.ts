import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, appConfig } from '../config/app-config';
import { ValidationException } from '../errors/api-exceptions';
import {
  Extensions,
  ExtensionLimits,
  extensionLimitsOf,
  extensionsTotalProblem,
  extensionValueProblem,
} from './extensions';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What one extension endpoint asks (docs/API.md §5): replace the value, or merge keys into an object value. */
export interface ExtensionChange {
  operation: 'replace' | 'merge';
  name: string;
  value: unknown;
}

/** The rules of replacing and merging one extension (docs/API.md §5), with the configured size limits. */
@Injectable()
export class ExtensionsPolicy {
  readonly limits: ExtensionLimits;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.limits = extensionLimitsOf(config);
  }

  /**
   * The extensions after `change`; a 400 when the change breaks a rule. Called inside the locked
   * read-modify-write of the object's row, so concurrent writers cannot together overshoot a total.
   */
  apply(current: Extensions, change: ExtensionChange): Extensions {
    return this.checkedTotal(
      change.operation === 'merge'
        ? this.merge(current, change.name, change.value)
        : this.replace(current, change.name, change.value),
    );
  }

  /** The extensions after those of an end or association body replaced their namesakes. */
  replaceAll(current: Extensions, given: Extensions): Extensions {
    return this.checkedTotal({ ...current, ...given });
  }

  private checkedTotal(extensions: Extensions): Extensions {
    const problem = extensionsTotalProblem(extensions, this.limits);
    if (problem) throw ValidationException.of('extensions', problem);
    return extensions;
  }

  /** Sets the extension, creating it if needed. */
  private replace(current: Extensions, name: string, value: unknown): Extensions {
    this.check(name, value);
    return { ...current, [name]: value };
  }

  /** Adds the keys of `value` to an object extension (shallowly), creating it if needed. */
  private merge(current: Extensions, name: string, value: unknown): Extensions {
    if (!isObject(value)) throw ValidationException.of('body', 'must be a JSON object to merge');
    const existing = current[name];
    if (existing !== undefined && !isObject(existing)) {
      throw ValidationException.of(
        name,
        'is not an object extension, so nothing can be merged into it',
      );
    }
    const merged = { ...existing, ...value };
    this.check(name, merged);
    return { ...current, [name]: merged };
  }

  private check(name: string, value: unknown): void {
    const problem = extensionValueProblem(value, this.limits);
    if (problem) throw ValidationException.of(name, problem);
  }
}

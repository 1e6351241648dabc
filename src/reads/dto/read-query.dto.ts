import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, registerDecorator } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import {
  BooleanField,
  IntegerQueryField,
  RepeatableQueryParameter,
} from '../../validation/field.decorators';
import { extensionSelectorProblem } from '../extension-selection';
import { Page, Status } from '../../journey/status';

function ExtensionSelectorField(): PropertyDecorator {
  return applyDecorators(
    RepeatableQueryParameter(),
    IsOptional(),
    IsString({ message: 'must be a comma-separated list of extension selectors' }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isExtensionSelector',
        target: target.constructor,
        propertyName: propertyName as string,
        validator: {
          validate: (value: unknown) =>
            typeof value === 'string' && !extensionSelectorProblem(value),
          defaultMessage: (args) => extensionSelectorProblem(String(args?.value)) ?? 'is not valid',
        },
      }),
    ApiPropertyOptional({
      description:
        "Extensions to return: names of the object's own, State.<name> / Task.<name> of nested ones, " +
        'State.* / Task.* for all of a level, * for all',
      example: '*',
    }),
  );
}

/** `extensions=`: accepted by every read. */
export class ReadQueryDto {
  @ExtensionSelectorField()
  extensions?: string;
}

/** Reads that can nest tasks (a state, a service). */
export class TaskNestingQueryDto extends ReadQueryDto {
  @BooleanField({ description: 'Add the active tasks' })
  active_tasks?: boolean;

  @BooleanField({ description: 'Add the completed tasks' })
  completed_tasks?: boolean;
}

export const MAX_PAGE_SIZE = 1000;

// TypeScript requires a mixin's base constructor to take `...args: any[]`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type QueryClass = new (...args: any[]) => object;

/** Adds `limit` / `offset` paging to a list query (docs/API.md §4.4: at most 1000 per page). */
export function Paged<T extends QueryClass>(Base: T) {
  class PagedQuery extends Base {
    @IntegerQueryField({
      min: 1,
      max: MAX_PAGE_SIZE,
      description: `Page size (default ${MAX_PAGE_SIZE})`,
    })
    limit?: number;

    @IntegerQueryField({ min: 0, max: Number.MAX_SAFE_INTEGER, description: 'Items to skip' })
    offset?: number;
  }
  return PagedQuery;
}

/** The page a list query asks for, with the defaults of docs/API.md §4.4 (the first 1000). */
export function pageOf(query: { limit?: number; offset?: number }): Page {
  return { limit: query.limit ?? MAX_PAGE_SIZE, offset: query.offset ?? 0 };
}

/** Which of an object's children a read nests: the active ones, the completed ones, both, or none. */
export function nestedStatus(active?: boolean, completed?: boolean): Status | undefined {
  if (active && completed) return 'all';
  if (active) return 'active';
  return completed ? 'completed' : undefined;
}

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ValidationException } from '../errors/api-exceptions';
import { DEFAULT_TENANT, TenantContext } from './tenant-context';

const HEADER_VALUE = /^[\w.:@-]{1,64}$/;

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
    throw ValidationException.of(
      `header ${name}`,
      'must be 1 to 64 letters, digits or . _ : @ - characters',
    );
  }
  return value;
}

/** Reads the tenant (`ContactCenterId`) and business unit (`GroupId`) headers of the request. */
export function tenantOf(request: Request): TenantContext {
  return {
    tenantId: header(request, 'ContactCenterId') ?? DEFAULT_TENANT,
    groupId: header(request, 'GroupId'),
  };
}

/** Injects the request's TenantContext into a controller method. */
export const Tenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantContext =>
    tenantOf(context.switchToHttp().getRequest<Request>()),
);

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { tenantOf } from './tenancy.guard';
import { TenantContext } from './tenant-context';

/** Injects the request's TenantContext (resolved by the TenancyGuard) into a controller method. */
export const Tenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantContext =>
    tenantOf(context.switchToHttp().getRequest<Request>()),
);

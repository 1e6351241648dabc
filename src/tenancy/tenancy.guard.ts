import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC } from '../access/access.decorators';
import { principalOf } from '../access/api-key.guard';
import { AppConfig, appConfig } from '../config/app-config';
import { ApiException, ValidationException } from '../errors/api-exceptions';
import { DEFAULT_TENANT, TenantContext } from './tenant-context';

const TENANT = Symbol('tenant');
type WithTenant = Request & { [TENANT]?: TenantContext };

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

/** The tenant the TenancyGuard resolved for this request. */
export function tenantOf(request: Request): TenantContext {
  const tenant = (request as WithTenant)[TENANT];
  if (!tenant) throw new Error('TenancyGuard did not run for this route');
  return tenant;
}

/**
 * Resolves the request's tenant (docs/API.md §6.2) from `ContactCenterId` (the default tenant without it) and
 * its business unit from `GroupId`: 400 for a malformed header or a tenant outside `TENANTS`, 403 for a tenant
 * the request's API key may not act for.
 */
@Injectable()
export class TenancyGuard implements CanActivate {
  private readonly allowed: Set<string> | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.allowed = config.tenants;
  }

  canActivate(context: ExecutionContext): boolean {
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])
    )
      return true;
    const request = context.switchToHttp().getRequest<Request>();
    const tenantId = header(request, 'ContactCenterId') ?? DEFAULT_TENANT;
    if (this.allowed && !this.allowed.has(tenantId)) {
      throw ValidationException.of(
        'header ContactCenterId',
        `names tenant "${tenantId}", which is not configured`,
      );
    }
    const key = principalOf(request);
    if (key?.tenants && !key.tenants.has(tenantId)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        `API key "${key.name}" may not act for tenant "${tenantId}"`,
      );
    }
    (request as WithTenant)[TENANT] = { tenantId, groupId: header(request, 'GroupId') };
    return true;
  }
}

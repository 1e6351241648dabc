import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest as Request } from 'fastify';
import { PUBLIC } from '../access/access.decorators';
import { principalOf } from '../access/api-key.guard';
import { AppConfig, appConfig } from '../config/app-config';
import { isTenantName } from '../config/tenants';
import { ApiException, ValidationException } from '../errors/api-exceptions';
import { headerText } from '../http/header-text';
import { TenantContext } from './tenant-context';

const TENANT = Symbol('tenant');

type WithTenant = Request & { [TENANT]?: TenantContext };

function header(request: Request, name: string): string | undefined {
  const raw = request.headers[name.toLowerCase()];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' ? headerText(raw) : raw;
  if (typeof value !== 'string' || !isTenantName(value)) {
    throw ValidationException.of(
      `header ${name}`,
      'must be 1 to 64 printable characters, without control characters or surrounding spaces',
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
 * Resolves the request's tenant (docs/API.md §6.2) from `ContactCenterId`, a tenant's DBID or name
 * (DEFAULT_TENANT without it), and its business unit from `GroupId`: 400 for a malformed header or a tenant
 * outside `TENANTS`, 403 for a tenant the request's API key may not act for. With `TENANTS` pairing a DBID
 * and a name, both reach the tenant's data, kept under its name.
 */
@Injectable()
export class TenancyGuard implements CanActivate {
  /** Header value → tenant, when TENANTS restricts them. */
  private readonly allowed: Map<string, string> | undefined;
  private readonly defaultTenant: string;

  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.allowed = config.tenants;
    this.defaultTenant = config.DEFAULT_TENANT;
  }

  canActivate(context: ExecutionContext): boolean {
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])
    )
      return true;
    const request = context.switchToHttp().getRequest<Request>();
    const named = header(request, 'ContactCenterId');
    const tenantId = this.resolve(named ?? this.defaultTenant, named !== undefined);
    const key = principalOf(request);
    if (key?.tenants && ![...key.tenants].some((allowed) => this.tenantOf(allowed) === tenantId)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        `API key "${key.name}" may not act for tenant "${tenantId}"`,
      );
    }
    (request as WithTenant)[TENANT] = { tenantId, groupId: header(request, 'GroupId') };
    return true;
  }

  /** The tenant a DBID or name stands for. */
  private tenantOf(value: string): string {
    return this.allowed?.get(value) ?? value;
  }

  private resolve(value: string, named: boolean): string {
    if (!this.allowed) return value;
    const tenant = this.allowed.get(value);
    if (tenant !== undefined) return tenant;
    throw named
      ? ValidationException.of(
          'header ContactCenterId',
          `names tenant "${value}", which is not configured`,
          { tenant: 'not-configured', value },
        )
      : ValidationException.of(
          'header ContactCenterId',
          'is missing: no tenant specified, and this service serves several (TENANTS)',
          { tenant: 'missing' },
        );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyEntry } from '../config/api-keys';
import { AppConfig, appConfig } from '../config/app-config';
import { TenantContext } from '../tenancy/tenant-context';
import { MeResponseDto } from './dto/me-response.dto';

/** Who a request is, for a client that wants to know without trying (the console): docs/API.md §6.2. */
@Injectable()
export class MeService {
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  describe(tenant: TenantContext, key: ApiKeyEntry | undefined): MeResponseDto {
    return {
      tenant: tenant.tenantId,
      ...(tenant.groupId === undefined ? {} : { group_id: tenant.groupId }),
      role: key?.role ?? 'admin',
      principal: key ? { kind: 'api_key', name: key.name } : { kind: 'anonymous' },
      access_control: this.config.apiKeys.length > 0,
      tenants: this.tenantsOf(key),
    };
  }

  /** By name, as the data is kept: a key's DBIDs are named through TENANTS. */
  private tenantsOf(key: ApiKeyEntry | undefined): string[] | null {
    const configured = this.config.tenants;
    const named = (value: string) => configured?.get(value) ?? value;
    if (key?.tenants) return [...new Set([...key.tenants].map(named))];
    return configured ? [...new Set(configured.values())] : null;
  }
}

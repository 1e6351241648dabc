import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { ServiceStatsQueryDto } from './dto/service-stats-query.dto';
import { ServiceStatsResponseDto } from './dto/service-stats-response.dto';
import { ServiceStatsService } from './service-stats.service';

/** Statistics of a tenant's services (docs/API.md §6.8), for the console's dashboard: HTTP only. */
@ApiTags('Statistics')
@ApiTenantHeaders()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: ServiceStatsService) {}

  @Get('services')
  @ApiEndpoint({
    summary: "What the tenant's services did in a window",
    description:
      'Starts and completions per bucket (every bucket of the window, zeros included), per service type the ' +
      'active, started and completed counts and the median and 90th percentile duration, and the ten most ' +
      'frequent dispositions. At most 400 buckets.',
    type: ServiceStatsResponseDto,
    errors: [400, 500, 503],
  })
  services(
    @Tenant() tenant: TenantContext,
    @Query() query: ServiceStatsQueryDto,
  ): Promise<ServiceStatsResponseDto> {
    return this.stats.answer(tenant, query, Date.now());
  }
}

import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../access/api-key.guard';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { MeResponseDto } from './dto/me-response.dto';
import { MeService } from './me.service';

/** `GET /access/me`: the caller's tenant, role and principal, with no side effect (reader role). */
@ApiTags('Access')
@ApiTenantHeaders()
@Controller('access')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get('me')
  @ApiEndpoint({
    summary: 'Who the caller is: tenant, role, principal',
    description:
      'Answers what access control and tenancy accepted for this request, and changes nothing: the tenant ' +
      '(ContactCenterId, or the default tenant), the role, the key, and the tenants the caller may use.',
    type: MeResponseDto,
    errors: [],
  })
  whoAmI(@Tenant() tenant: TenantContext, @Req() request: FastifyRequest): MeResponseDto {
    return this.me.describe(tenant, principalOf(request));
  }
}

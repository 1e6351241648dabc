import { Body, Controller, Delete, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresRole } from '../access/access.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { resourcePath } from '../http/api-base-path';
import {
  ApiEndpoint,
  ApiTenantHeaders,
  EXTENSION_MERGE_BODY,
  EXTENSION_VALUE_BODY,
} from '../http/api-endpoint.decorator';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import {
  ExtensionNameParamPipe,
  IdParamPipe,
  JsonBodyPipe,
  TextParamPipe,
} from '../validation/param.pipes';
import { ExtensionChange } from '../validation/extensions.policy';
import { AssociateServiceDto } from './dto/associate-service.dto';
import { ServiceEndEventDto } from './dto/service-end-event.dto';
import { ServiceExpirationDto } from './dto/service-expiration.dto';
import {
  ServiceListQueryDto,
  ServiceQueryDto,
  TenantServiceListQueryDto,
} from './dto/service-query.dto';
import { ServiceResponseDto, ServiceStartedDto } from './dto/service-response.dto';
import { ServiceStartEventDto } from './dto/service-start-event.dto';
import { ServiceReader } from './service-reader.service';
import { ServicesService } from './services.service';

const SERVICE_ID = new IdParamPipe();
const CUSTOMER_ID = new TextParamPipe(64);
const CONTACT_KEY = new TextParamPipe(128);
const NAME = new ExtensionNameParamPipe();

const listOf = (summary: string) =>
  ApiEndpoint({ summary, type: [ServiceResponseDto], errors: [400, 500, 503] });

/** The service operations (docs/API.md §4.1): HTTP only; the rules are in ServicesService. */
@ApiTags('Services')
@ApiTenantHeaders()
@Controller()
export class ServicesController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly reader: ServiceReader,
  ) {}

  @Post('services/start')
  @ApiEndpoint({
    summary: 'Start a service',
    description:
      'Always creates a new service, even when an active one has the same customer and type.',
    status: 201,
    type: ServiceStartedDto,
    location: '/genesys/1/cs/services/111222',
    errors: [400, 413, 415, 500, 503],
  })
  async start(
    @Tenant() tenant: TenantContext,
    @Body() event: ServiceStartEventDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ServiceStartedDto> {
    const id = await this.transactions.transaction((manager) =>
      this.services.start(manager, tenant, event, Date.now()),
    );
    response.header('Location', resourcePath('services', id));
    return { service_id: id };
  }

  @Get('services/:service_id')
  @ApiEndpoint({ summary: 'Get a service', type: ServiceResponseDto, errors: [400, 404, 500, 503] })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Query() query: ServiceQueryDto,
  ): Promise<ServiceResponseDto> {
    return this.transactions.read((manager) => this.reader.get(manager, tenant, id, query));
  }

  @Post('services/:service_id/end')
  @ApiEndpoint({
    summary: 'Complete a service',
    description: 'Completes its still-active states and tasks with the same timestamp.',
    status: 204,
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  end(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Body() event: ServiceEndEventDto,
  ): Promise<void> {
    return this.transactions.transaction((manager) =>
      this.services.complete(manager, tenant, id, event, Date.now()),
    );
  }

  @Delete('services/:service_id')
  @ApiEndpoint({
    summary: 'Delete a service with its states, tasks and extensions',
    errors: [400, 404, 500, 503],
  })
  remove(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
  ): Promise<void> {
    return this.transactions.transaction((manager) => this.services.remove(manager, tenant, id));
  }

  @Put('services/:service_id')
  @RequiresRole('admin')
  @ApiEndpoint({
    summary: 'Set when a service expires',
    description: '`ttl` (seconds from now) wins over `expiration_time`.',
    errors: [400, 404, 413, 415, 500, 503],
  })
  setExpiration(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Body() body: ServiceExpirationDto,
  ): Promise<void> {
    return this.transactions.transaction((manager) =>
      this.services.setExpiration(manager, tenant, id, body, Date.now()),
    );
  }

  @Put('services/:service_id/extensions/:name')
  @ApiEndpoint({
    summary: 'Replace (or create) an extension of a service',
    body: EXTENSION_VALUE_BODY,
    errors: [400, 404, 413, 415, 500, 503],
  })
  replaceExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    return this.changeExtension(tenant, id, { operation: 'replace', name, value });
  }

  @Put('services/:service_id/extensions/:name/merge')
  @ApiEndpoint({
    summary: 'Merge keys into an object extension of a service',
    body: EXTENSION_MERGE_BODY,
    errors: [400, 404, 413, 415, 500, 503],
  })
  mergeExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    return this.changeExtension(tenant, id, { operation: 'merge', name, value });
  }

  @Post('customers/:customer_id/services/:service_id')
  @ApiEndpoint({
    summary: 'Associate a service with a customer',
    description:
      'The service moves to the customer (it stops being anonymous and leaves any previous customer); its ' +
      'contact_key is kept. The optional body updates service start fields and replaces the extensions it names.',
    type: ServiceResponseDto,
    errors: [400, 404, 413, 415, 500, 503],
  })
  associate(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', CUSTOMER_ID) customerId: string,
    @Param('service_id', SERVICE_ID) id: number,
    @Body() body: AssociateServiceDto,
  ): Promise<ServiceResponseDto> {
    return this.transactions.transaction((manager) =>
      this.services.associate(manager, tenant, id, customerId, body, Date.now()),
    );
  }

  @Get('services')
  @listOf("The tenant's services, oldest first: with status=active, every journey in flight")
  tenantServices(
    @Tenant() tenant: TenantContext,
    @Query() query: TenantServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { wholeTenant: true }, query.status ?? 'all', query),
    );
  }

  @Get('customers/:customer_id/services')
  @listOf("A customer's services")
  customerServices(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', CUSTOMER_ID) customerId: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { customerId }, 'all', query),
    );
  }

  @Get('customers/:customer_id/services/active')
  @listOf("A customer's active services")
  activeCustomerServices(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', CUSTOMER_ID) customerId: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { customerId }, 'active', query),
    );
  }

  @Get('customers/:customer_id/services/completed')
  @listOf("A customer's completed services")
  completedCustomerServices(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', CUSTOMER_ID) customerId: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { customerId }, 'completed', query),
    );
  }

  @Get('services/anonymous/:contact_key')
  @listOf('The anonymous services of a contact key')
  anonymousServices(
    @Tenant() tenant: TenantContext,
    @Param('contact_key', CONTACT_KEY) contactKey: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { anonymousContactKey: contactKey }, 'all', query),
    );
  }

  @Get('services/anonymous/:contact_key/active')
  @listOf('The active anonymous services of a contact key')
  activeAnonymousServices(
    @Tenant() tenant: TenantContext,
    @Param('contact_key', CONTACT_KEY) contactKey: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { anonymousContactKey: contactKey }, 'active', query),
    );
  }

  @Get('services/anonymous/:contact_key/completed')
  @listOf('The completed anonymous services of a contact key')
  completedAnonymousServices(
    @Tenant() tenant: TenantContext,
    @Param('contact_key', CONTACT_KEY) contactKey: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read((manager) =>
      this.reader.list(manager, tenant, { anonymousContactKey: contactKey }, 'completed', query),
    );
  }

  /** Both extension routes: one change, in one transaction. */
  private changeExtension(
    tenant: TenantContext,
    id: number,
    change: ExtensionChange,
  ): Promise<void> {
    return this.transactions.transaction((manager) =>
      this.services.changeExtension(manager, tenant, id, change, Date.now()),
    );
  }
}

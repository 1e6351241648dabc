import { Body, Controller, Delete, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequiresRole } from '../access/access.decorators';
import { ApiEndpoint, ApiTenantHeaders } from '../common/api-endpoint.decorator';
import { resourcePath } from '../common/api-base-path';
import { pageOf } from '../common/dto/read-query.dto';
import { parseExtensionSelection } from '../common/extension-selection';
import { cascadedCompletion } from '../common/tracked-object.mapper';
import { Status } from '../common/tracked-objects.repository';
import { TransactionRunner } from '../database/transaction-runner';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { parseIsoTimestamp } from '../validation/field.decorators';
import {
  ExtensionNameParamPipe,
  IdParamPipe,
  JsonBodyPipe,
  TextParamPipe,
} from '../validation/param.pipes';
import { AssociateServiceDto } from './dto/associate-service.dto';
import { ServiceEndEventDto } from './dto/service-end-event.dto';
import { ServiceExpirationDto } from './dto/service-expiration.dto';
import { ServiceListQueryDto, ServiceQueryDto } from './dto/service-query.dto';
import { ServiceResponseDto, ServiceStartedDto } from './dto/service-response.dto';
import { ServiceStartEventDto } from './dto/service-start-event.dto';
import { serviceJson } from './service.representation';
import { ServiceOwner } from './services.repository';
import { ServiceReader } from './service-reader.service';
import { ServicesService } from './services.service';

const SERVICE_ID = new IdParamPipe();
const NAME = new ExtensionNameParamPipe();

@ApiTags('Services')
@ApiTenantHeaders()
@Controller()
export class ServicesController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
    private readonly extensions: ExtensionsPolicy,
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
    @Res({ passthrough: true }) response: Response,
  ): Promise<ServiceStartedDto> {
    const id = await this.transactions.transaction((m) =>
      this.services.start(m, tenant, event, Date.now()),
    );
    response.setHeader('Location', resourcePath('services', id));
    return { service_id: id };
  }

  @Get('services/:service_id')
  @ApiEndpoint({ summary: 'Get a service', type: ServiceResponseDto, errors: [400, 404, 500, 503] })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Query() query: ServiceQueryDto,
  ): Promise<ServiceResponseDto> {
    return this.transactions.read(async (m) => {
      const [service] = await this.reader.represent(
        m,
        [await this.services.get(m, tenant, id)],
        query,
      );
      return service;
    });
  }

  @Post('services/:service_id/end')
  @ApiEndpoint({
    summary: 'Complete a service',
    description: 'Completes its still-active states and tasks with the same timestamp.',
    status: 204,
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async end(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Body() event: ServiceEndEventDto,
  ): Promise<void> {
    await this.transactions.transaction(async (m) => {
      const completion = cascadedCompletion(
        await this.services.complete(m, tenant, id, event, Date.now()),
      );
      await this.tasks.completeActiveOfService(m, id, completion);
      await this.states.completeActiveOfService(m, id, completion);
    });
  }

  @Delete('services/:service_id')
  @ApiEndpoint({
    summary: 'Delete a service with its states, tasks and extensions',
    errors: [400, 404, 500, 503],
  })
  async remove(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
  ): Promise<void> {
    await this.transactions.transaction((m) => this.services.remove(m, tenant, id));
  }

  @Put('services/:service_id')
  @RequiresRole('admin')
  @ApiEndpoint({
    summary: 'Set when a service expires',
    description: '`ttl` (seconds from now) wins over `expiration_time`.',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async setExpiration(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Body() body: ServiceExpirationDto,
  ): Promise<void> {
    await this.transactions.transaction((m) =>
      this.services.setExpiration(m, tenant, id, body, Date.now()),
    );
  }

  @Put('services/:service_id/extensions/:name')
  @ApiEndpoint({
    summary: 'Replace (or create) an extension of a service',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async replaceExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    await this.transactions.transaction((m) =>
      this.services.changeExtensions(
        m,
        tenant,
        id,
        (all) => this.extensions.replace(all, name, value),
        Date.now(),
      ),
    );
  }

  @Put('services/:service_id/extensions/:name/merge')
  @ApiEndpoint({
    summary: 'Merge keys into an object extension of a service',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async mergeExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', SERVICE_ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    await this.transactions.transaction((m) =>
      this.services.changeExtensions(
        m,
        tenant,
        id,
        (all) => this.extensions.merge(all, name, value),
        Date.now(),
      ),
    );
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
    @Param('customer_id', new TextParamPipe(64)) customerId: string,
    @Param('service_id', SERVICE_ID) id: number,
    @Body() body: AssociateServiceDto,
  ): Promise<ServiceResponseDto> {
    return this.transactions.transaction(async (m) => {
      const service = await this.services.associate(m, tenant, id, customerId, body, Date.now());
      return serviceJson(service, parseExtensionSelection('*', 'service'));
    });
  }

  @Get('customers/:customer_id/services')
  @ApiEndpoint({
    summary: "A customer's services",
    type: [ServiceResponseDto],
    errors: [400, 500, 503],
  })
  customerServices(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', new TextParamPipe(64)) customerId: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.list(tenant, { customerId }, 'all', query);
  }

  @Get('customers/:customer_id/services/active')
  @ApiEndpoint({
    summary: "A customer's active services",
    type: [ServiceResponseDto],
    errors: [400, 500, 503],
  })
  activeCustomerServices(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', new TextParamPipe(64)) customerId: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.list(tenant, { customerId }, 'active', query);
  }

  @Get('customers/:customer_id/services/completed')
  @ApiEndpoint({
    summary: "A customer's completed services",
    type: [ServiceResponseDto],
    errors: [400, 500, 503],
  })
  completedCustomerServices(
    @Tenant() tenant: TenantContext,
    @Param('customer_id', new TextParamPipe(64)) customerId: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.list(tenant, { customerId }, 'completed', query);
  }

  @Get('services/anonymous/:contact_key')
  @ApiEndpoint({
    summary: 'The anonymous services of a contact key',
    type: [ServiceResponseDto],
    errors: [400, 500, 503],
  })
  anonymousServices(
    @Tenant() tenant: TenantContext,
    @Param('contact_key', new TextParamPipe(128)) contactKey: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.list(tenant, { anonymousContactKey: contactKey }, 'all', query);
  }

  @Get('services/anonymous/:contact_key/active')
  @ApiEndpoint({
    summary: 'The active anonymous services of a contact key',
    type: [ServiceResponseDto],
    errors: [400, 500, 503],
  })
  activeAnonymousServices(
    @Tenant() tenant: TenantContext,
    @Param('contact_key', new TextParamPipe(128)) contactKey: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.list(tenant, { anonymousContactKey: contactKey }, 'active', query);
  }

  @Get('services/anonymous/:contact_key/completed')
  @ApiEndpoint({
    summary: 'The completed anonymous services of a contact key',
    type: [ServiceResponseDto],
    errors: [400, 500, 503],
  })
  completedAnonymousServices(
    @Tenant() tenant: TenantContext,
    @Param('contact_key', new TextParamPipe(128)) contactKey: string,
    @Query() query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.list(tenant, { anonymousContactKey: contactKey }, 'completed', query);
  }

  private list(
    tenant: TenantContext,
    owner: ServiceOwner,
    status: Status,
    query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    return this.transactions.read(async (m) => {
      const filter = {
        status,
        serviceTypes: query.service_types,
        startedFrom:
          query.started_from === undefined ? undefined : parseIsoTimestamp(query.started_from),
        startedTo: query.started_to === undefined ? undefined : parseIsoTimestamp(query.started_to),
      };
      const page = pageOf(query);
      return this.reader.represent(
        m,
        await this.services.list(m, tenant, owner, filter, page),
        query,
      );
    });
  }
}

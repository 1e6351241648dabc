import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { once } from 'node:events';
import { RequiresRole } from '../access/access.decorators';
import { ApiEndpoint, ApiTenantHeaders } from '../common/api-endpoint.decorator';
import { AppConfig, appConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { ServiceReader, WHOLE_SERVICE } from '../services/service-reader.service';
import { ServicesService } from '../services/services.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/field.decorators';
import { ExportQueryDto } from './dto/export-query.dto';
import { PURGE_OPERATIONS, PurgeRequestDto, PurgeResponseDto } from './dto/purge.dto';

/** Services per page of an export: what one query reads and one write sends. */
const EXPORT_PAGE = 200;

@ApiTags('Maintenance')
@ApiTenantHeaders()
@RequiresRole('admin')
@Controller('maintenance')
export class MaintenanceController {
  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly reader: ServiceReader,
  ) {}

  @Post('purge')
  @ApiEndpoint({
    summary: "Delete the tenant's services started before a time, with everything in them",
    description: 'Deletes in batches of SWEEP_BATCH_SIZE, each its own transaction.',
    type: PurgeResponseDto,
    errors: [400, 401, 403, 413, 415, 500, 503],
  })
  async purge(
    @Tenant() tenant: TenantContext,
    @Body() body: PurgeRequestDto,
  ): Promise<PurgeResponseDto> {
    const before = parseIsoTimestamp(body.limit)!;
    const scope = PURGE_OPERATIONS[body.operation];
    const batch = this.config.SWEEP_BATCH_SIZE;
    let purged = 0;
    for (;;) {
      const deleted = await this.transactions.transaction((m) =>
        this.services.purge(m, tenant, scope, before, batch),
      );
      purged += deleted;
      if (deleted < batch) return { purged };
    }
  }

  @Get('services/stream')
  @ApiProduces('application/json')
  @ApiEndpoint({
    summary: "Export the tenant's services that had an event in a time range",
    description:
      'A JSON array streamed in pages: service ids, or whole services (states, tasks, extensions) with ' +
      'export_content=true. Memory stays flat however many services match.',
    errors: [400, 401, 403, 500, 503],
  })
  async stream(
    @Tenant() tenant: TenantContext,
    @Query() query: ExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    const filter = {
      from: parseIsoTimestamp(query.time_from)!,
      to: query.time_to === undefined ? undefined : parseIsoTimestamp(query.time_to),
      events: query.filter_events ?? 'any',
      state: query.filter_state ?? 'any',
    };
    // The first page is read before anything is sent, so that a database error still gets its envelope.
    let page = await this.readPage(tenant, filter, 0, query.export_content === true);
    response.status(200).type('application/json');
    response.write('[');
    let first = true;
    while (page.items.length > 0) {
      const chunk = page.items.map((item) => JSON.stringify(item)).join(',');
      const writable = response.write(first ? chunk : `,${chunk}`);
      first = false;
      if (!writable) await once(response, 'drain');
      if (page.items.length < EXPORT_PAGE) break;
      page = await this.readPage(tenant, filter, page.lastId, query.export_content === true);
    }
    response.end(']');
  }

  private readPage(
    tenant: TenantContext,
    filter: Parameters<ServicesService['exportPage']>[2],
    after: number,
    content: boolean,
  ): Promise<{ items: unknown[]; lastId: number }> {
    return this.transactions.read(async (m) => {
      const services = await this.services.exportPage(m, tenant, filter, after, EXPORT_PAGE);
      const items = content
        ? await this.reader.represent(m, services, WHOLE_SERVICE)
        : services.map((s) => s.id);
      return { items, lastId: services.at(-1)?.id ?? after };
    });
  }
}

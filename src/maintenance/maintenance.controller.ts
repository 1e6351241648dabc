import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { RequiresRole } from '../access/access.decorators';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { ExportQueryDto } from '../services/dto/export-query.dto';
import { PurgeRequestDto, PurgeResponseDto } from '../services/dto/purge.dto';
import { ServiceRetention } from '../services/service-retention.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { ExportFilesQueryDto } from './dto/export-files-query.dto';
import { ExportFilesResponseDto } from './dto/export-files-response.dto';
import { ExportFilesService } from './export-files.service';
import { TenantContext } from '../tenancy/tenant-context';
import { stringifyJson } from '../json/exact-json';

/** Purge and export (docs/API.md §6.5): HTTP only; what they select is ServiceRetention's. */
@ApiTags('Maintenance')
@ApiTenantHeaders()
@RequiresRole('admin')
@Controller('maintenance')
export class MaintenanceController {
  constructor(
    private readonly retention: ServiceRetention,
    private readonly exportFiles: ExportFilesService,
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
    return { purged: await this.retention.purge(tenant, body) };
  }

  @Post('services/files')
  @ApiEndpoint({
    summary: "Export the tenant's services that had an event in a time range to three files",
    description:
      'Genesys ExportServicesFile: the services, their states and their tasks in three new files in ' +
      'EXPORT_DIR named as Genesys names them (export<yyyyMMdd>_<HHmmss>_<SSS>_services.json, UTC): one JSON ' +
      'object a line, or with format=csv a header row and a row per object. Written in pages (memory stays ' +
      'flat) and named only once complete. Takes the query of the stream export; export_content is implied.',
    type: ExportFilesResponseDto,
    // It takes no body, but a request that sends one anyway is checked like any other.
    errors: [400, 401, 403, 415, 500, 503],
  })
  async exportToFiles(
    @Tenant() tenant: TenantContext,
    @Query() query: ExportFilesQueryDto,
  ): Promise<ExportFilesResponseDto> {
    const files = await this.exportFiles.export(tenant, query);
    return files.length > 0
      ? { created: files.join(', ') }
      : { created: '', message: 'no service matched the query; no file was written' };
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
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The first page is read before anything is sent, so that a database error still gets its envelope.
    const first = await this.retention.exportPage(tenant, query, 0);
    const retention = this.retention;
    // Fastify pipes the pages as they come (one in memory at a time) and ends the array after the last.
    async function* pages(): AsyncGenerator<string> {
      yield '[';
      let page = first;
      let separator = '';
      for (;;) {
        if (page.items.length > 0) {
          yield separator + page.items.map((item) => stringifyJson(item)).join(',');
          separator = ',';
        }
        if (page.nextAfter === undefined) break;
        page = await retention.exportPage(tenant, query, page.nextAfter);
      }
      yield ']';
    }
    await reply.status(200).type('application/json').send(Readable.from(pages()));
  }
}

import { Body, Controller, Inject, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { Readable } from 'node:stream';
import { RequiresRole } from '../access/access.decorators';
import { AppConfig, appConfig } from '../config/app-config';
import { ApiException } from '../errors/api-exceptions';
import { IMPORT_PATH } from '../http/api-base-path';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import type { StreamedBody } from '../http/json-body';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { ImportQueryDto } from './dto/import-query.dto';
import { ImportedEventDto, ImportedServiceDto, ImportResultDto } from './dto/imported-service.dto';
import { jsonArray, jsonLines } from './import-sources';
import { ImportsService } from './imports.service';

/**
 * The bytes of a body up to `max`; past it the body ends there, and `exceeded` says so. A body that breaks
 * off (the client went away, broken compression) is the client's error, as any unreadable body is.
 */
async function* upTo(bytes: Readable, max: number, limit: { exceeded: boolean }) {
  let seen = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > max) {
        limit.exceeded = true;
        bytes.destroy();
        return;
      }
      yield chunk;
    }
  } catch (error) {
    throw new ApiException(400, `request body could not be read: ${(error as Error).message}`);
  }
}

/** Import of exported services (docs/API.md §6.5): HTTP only; the rules are ImportsService's. */
@ApiTags('Maintenance')
@ApiExtraModels(ImportedEventDto, ImportedServiceDto)
@ApiTenantHeaders()
@RequiresRole('admin')
@Controller()
export class ImportsController {
  private readonly maxBytes: number;

  constructor(
    private readonly imports: ImportsService,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.maxBytes = config.importMaxBytes;
  }

  @Post(IMPORT_PATH)
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiEndpoint({
    summary: 'Import whole services (with states, tasks and extensions) from an export',
    description:
      'The body is a JSON array of services as `GET /maintenance/services/stream?export_content=true` ' +
      'answers it, or JSON Lines of the same objects (application/x-ndjson), read as it arrives up to ' +
      'IMPORT_MAX_BYTES. Each service is stored whole or not at all under new ids; one imported before ' +
      '(same source key) is found, not duplicated; an active one may not shadow an active service of the ' +
      'same key. Bad lines are listed with their reason and stop nothing else.',
    type: ImportResultDto,
    body: {
      schema: { type: 'array', items: { $ref: '#/components/schemas/ImportedServiceDto' } },
      description: 'Whole services, as the stream export writes them',
    },
    errors: [400, 401, 403, 413, 415, 500, 503],
  })
  async import(
    @Tenant() tenant: TenantContext,
    @Query() query: ImportQueryDto,
    @Body() body: StreamedBody | undefined,
  ): Promise<ImportResultDto> {
    if (!body?.bytes) {
      throw new ApiException(
        400,
        'the body must be a JSON array of services, or JSON Lines of them',
      );
    }
    const limit = { exceeded: false };
    const bytes = upTo(body.bytes, this.maxBytes, limit);
    const result = await this.imports.import(
      tenant,
      body.lines ? jsonLines(bytes) : jsonArray(bytes),
      {
        source: query.source ?? 'default',
        collectMappings: true,
      },
    );
    if (limit.exceeded) {
      throw new ApiException(
        413,
        `the body goes past IMPORT_MAX_BYTES (${this.maxBytes} bytes): the ${result.imported} services ` +
          `before that point were imported whole (${result.already_imported} had been before); send the ` +
          'rest in another request, or import the files with `npm run import` (importing again is safe)',
      );
    }
    return result;
  }
}

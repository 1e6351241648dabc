import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseProbe } from '../database/database-probe';
import { EmbeddedStore } from '../database/embedded-store';
import { Public } from '../access/access.decorators';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { ApiException } from '../errors/api-exceptions';

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly probe: DatabaseProbe,
    private readonly indicators: HealthIndicatorService,
    private readonly store: EmbeddedStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the service and its database are up' })
  @ApiOkResponse({ description: 'Everything is up (terminus health report)' })
  @ApiErrorResponses(503)
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        // On its own connections: a health check must not wait behind the requests' busy pool.
        async () => {
          const { ready, ...state } = await this.probe.check();
          const database = this.indicators.check('database');
          return ready ? database.up(state) : database.down(state);
        },
        // The embedded engine answers from memory; what can fail is writing its file.
        () => {
          const storage = this.indicators.check('storage');
          return this.store.writable ? storage.up() : storage.down();
        },
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus reports which indicators failed; carry that into the common error envelope.
      const report = error.getResponse() as HealthCheckResult;
      // Only the indicator names and states: the driver's messages would reveal internal addresses.
      const down = Object.entries(report.error ?? {}).map(([path, detail]) => ({
        path,
        problem: `is ${detail?.status ?? 'down'}${galeraState(detail)}`,
      }));
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        `unhealthy: ${down.map((d) => d.path).join(', ')} down`,
        down,
      );
    }
  }
}

/** Why a Galera node is not serving, in its own words: `(node Initialized, cluster non-Primary)`. */
function galeraState(detail: Record<string, unknown> | undefined): string {
  if (detail?.engine !== 'galera') return '';
  return ` (node ${String(detail.nodeState)}, cluster ${String(detail.clusterStatus)})`;
}

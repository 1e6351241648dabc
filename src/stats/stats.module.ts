import { Module } from '@nestjs/common';
import { ServiceStatsRepository } from './service-stats.repository';
import { ServiceStatsService } from './service-stats.service';
import { StatsController } from './stats.controller';

/** `GET /stats/services` (docs/API.md §6.8): read-only SQL over the services table. */
@Module({
  controllers: [StatsController],
  providers: [ServiceStatsService, ServiceStatsRepository],
})
export class StatsModule {}

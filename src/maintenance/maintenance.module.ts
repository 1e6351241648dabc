import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { MaintenanceController } from './maintenance.controller';
import { SweeperService } from './sweeper.service';

/** Purge and export (docs/API.md §6.5), and the sweeper that enforces expiry and auto-complete (§6.3, §6.4). */
@Module({
  imports: [ServicesModule],
  controllers: [MaintenanceController],
  providers: [SweeperService],
  exports: [SweeperService],
})
export class MaintenanceModule {}

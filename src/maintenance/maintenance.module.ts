import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { MaintenanceController } from './maintenance.controller';
import { ExportFileSystem } from './export-file-system';
import { ExportFilesService } from './export-files.service';
import { SweeperService } from './sweeper.service';

/** Purge and export (docs/API.md §6.5), and the sweeper that enforces expiry and auto-complete (§6.3, §6.4). */
@Module({
  imports: [ServicesModule],
  controllers: [MaintenanceController],
  providers: [SweeperService, ExportFilesService, ExportFileSystem],
  exports: [SweeperService],
})
export class MaintenanceModule {}

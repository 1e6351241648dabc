import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { BusinessAttributesModule } from './business-attributes/business-attributes.module';
import { CompositeModule } from './composite/composite.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { ServicesModule } from './services/services.module';
import { HttpDrain } from './shutdown/http-drain';
import { StatesModule } from './states/states.module';
import { TasksModule } from './tasks/tasks.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { ValidationModule } from './validation/validation.module';

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    MetricsModule,
    ValidationModule,
    AccessModule,
    TenancyModule,
    BusinessAttributesModule,
    HealthModule,
    ServicesModule,
    StatesModule,
    TasksModule,
    CompositeModule,
    MaintenanceModule,
  ],
  providers: [HttpDrain],
})
export class AppModule {}

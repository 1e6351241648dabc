import { Module } from '@nestjs/common';
import { CompositeModule } from './composite/composite.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ServicesModule } from './services/services.module';
import { HttpDrain } from './shutdown/http-drain';
import { StatesModule } from './states/states.module';
import { TasksModule } from './tasks/tasks.module';
import { ValidationModule } from './validation/validation.module';

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    MetricsModule,
    ValidationModule,
    HealthModule,
    ServicesModule,
    StatesModule,
    TasksModule,
    CompositeModule,
  ],
  providers: [HttpDrain],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { CompositeModule } from './composite/composite.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ServicesModule } from './services/services.module';
import { StatesModule } from './states/states.module';
import { TasksModule } from './tasks/tasks.module';
import { ValidationModule } from './validation/validation.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    ValidationModule,
    HealthModule,
    ServicesModule,
    StatesModule,
    TasksModule,
    CompositeModule,
  ],
})
export class AppModule {}

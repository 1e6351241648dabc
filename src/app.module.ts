import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ApiKeyGuard } from './access/api-key.guard';
import { BusinessAttributesModule } from './business-attributes/business-attributes.module';
import { CompositeModule } from './composite/composite.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { RateLimitGuard } from './limits/rate-limit';
import { LoggingModule } from './logging/logging.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MeModule } from './me/me.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotesModule } from './notes/notes.module';
import { ServicesModule } from './services/services.module';
import { HttpDrain } from './shutdown/http-drain';
import { StatesModule } from './states/states.module';
import { StatsModule } from './stats/stats.module';
import { TasksModule } from './tasks/tasks.module';
import { TenancyGuard } from './tenancy/tenancy.guard';
import { RequestValidationPipe } from './validation/request-validation.pipe';

/**
 * The application. Its providers are the request pipeline around every route, in the order it runs:
 * authentication (401/403), then the tenant (400/403), then the rate limit against whom they accepted
 * (429), then validation of what is left, and the one error
 * envelope for whatever any of them, or a controller, throws. The HTTP hooks before routing are
 * `configureApp`'s.
 */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    MetricsModule,
    BusinessAttributesModule,
    HealthModule,
    TasksModule,
    StatesModule,
    ServicesModule,
    CompositeModule,
    MaintenanceModule,
    ImportsModule,
    StatsModule,
    MeModule,
    NotesModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: TenancyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_PIPE, useClass: RequestValidationPipe },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    HttpDrain,
  ],
})
export class AppModule {}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Paged, TaskNestingQueryDto } from '../../reads/dto/read-query.dto';
import { Status } from '../../journey/status';
import {
  BooleanField,
  TimestampField,
  TypeListQueryField,
} from '../../validation/field.decorators';

/** Query of a service read (docs/API.md §4.4). */
export class ServiceQueryDto extends TaskNestingQueryDto {
  @BooleanField({ description: 'Add the active states' })
  active_states?: boolean;

  @BooleanField({ description: 'Add the completed states' })
  completed_states?: boolean;
}

/** Query of a list of services. */
export class ServiceListQueryDto extends Paged(ServiceQueryDto) {
  @TypeListQueryField({
    description: 'Only these service types (comma-separated)',
    example: 'Sales,Support',
  })
  service_types?: string[];

  @TimestampField({ description: 'Only services started at or after this time' })
  started_from?: string;

  @TimestampField({ description: 'Only services started before this time' })
  started_to?: string;
}

/** Query of the tenant's services (`GET /services`): a list's filters, and which services by status. */
export class TenantServiceListQueryDto extends ServiceListQueryDto {
  @IsOptional()
  @IsIn(['all', 'active', 'completed'], { message: 'must be all, active or completed' })
  @ApiPropertyOptional({
    enum: ['all', 'active', 'completed'],
    description: 'Which services (default all); `active` is the work list of what is in flight',
  })
  status?: Status;
}

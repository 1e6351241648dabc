import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { BooleanField, TimestampField } from '../../validation/field.decorators';

/** Query of `GET /maintenance/services/stream` (docs/API.md §6.5). */
export class ExportQueryDto {
  @TimestampField({ required: true, description: 'Start of the time range (inclusive)' })
  time_from: string;

  @TimestampField({ description: 'End of the time range (exclusive); no end when absent' })
  time_to?: string;

  @IsOptional()
  @IsIn(['any', 'started', 'completed'], { message: 'must be any, started or completed' })
  @ApiPropertyOptional({
    enum: ['any', 'started', 'completed'],
    description: 'Which events count (default any)',
  })
  filter_events?: 'any' | 'started' | 'completed';

  @BooleanField({ description: 'Whole services (with states, tasks, extensions) instead of ids' })
  export_content?: boolean;

  @IsOptional()
  @IsIn(['any', 'active', 'inactive'], { message: 'must be any, active or inactive' })
  @ApiPropertyOptional({
    enum: ['any', 'active', 'inactive'],
    description: 'Which services (default any)',
  })
  filter_state?: 'any' | 'active' | 'inactive';
}

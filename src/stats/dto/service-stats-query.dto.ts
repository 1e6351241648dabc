import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TimestampField, TypeListQueryField } from '../../validation/field.decorators';

export const BUCKETS = { '1h': 3_600_000, '1d': 86_400_000 } as const;
export type Bucket = keyof typeof BUCKETS;

/** Query of `GET /stats/services` (docs/API.md §6.8). */
export class ServiceStatsQueryDto {
  @TimestampField({
    description:
      'Start of the window (inclusive), rounded down to its bucket; default `to` minus 24 h (1h) or 30 d (1d)',
  })
  from?: string;

  @TimestampField({ description: 'End of the window (exclusive); default now' })
  to?: string;

  @IsOptional()
  @IsIn(Object.keys(BUCKETS), { message: 'must be 1h or 1d' })
  @ApiPropertyOptional({
    enum: Object.keys(BUCKETS),
    description: 'Width of a series bucket (default 1h)',
  })
  bucket?: Bucket;

  @TypeListQueryField({
    description: 'Only these service types (comma-separated)',
    example: 'Sales,Support',
  })
  service_types?: string[];
}

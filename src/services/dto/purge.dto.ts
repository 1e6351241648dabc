import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn } from 'class-validator';
import { TimestampField } from '../../validation/field.decorators';

export const PURGE_OPERATIONS = {
  'purge.service.all': 'all',
  'purge.service.started': 'started',
  'purge.service.started.anonymous': 'started.anonymous',
  'purge.service.completed': 'completed',
  'purge.service.completed.anonymous': 'completed.anonymous',
} as const;

export type PurgeOperation = keyof typeof PURGE_OPERATIONS;

/** Body of `POST /maintenance/purge` (docs/API.md §6.5). */
export class PurgeRequestDto {
  @TimestampField({ required: true, description: 'Services started before this time are purged' })
  limit: string;

  @IsDefined({ message: 'is required' })
  @IsIn(Object.keys(PURGE_OPERATIONS), {
    message: `must be one of ${Object.keys(PURGE_OPERATIONS).join(', ')}`,
  })
  @ApiProperty({
    enum: Object.keys(PURGE_OPERATIONS),
    description:
      'all services; started: still active; completed: completed; .anonymous: only those without a customer',
  })
  operation: PurgeOperation;
}

export class PurgeResponseDto {
  @ApiProperty({ example: 1250 }) purged: number;
}

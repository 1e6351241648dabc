import { ApiProperty } from '@nestjs/swagger';

export class StatsBucketDto {
  @ApiProperty({ description: 'Start of the bucket (UTC)', example: '2026-12-01T09:00:00.000Z' })
  start: string;

  @ApiProperty({ description: 'Services started in the bucket', example: 42 })
  started: number;

  @ApiProperty({ description: 'Services completed in the bucket', example: 40 })
  completed: number;
}

export class DurationPercentilesDto {
  @ApiProperty({ description: 'Median duration in ms (nearest rank)', example: 95_000 })
  p50: number;

  @ApiProperty({ description: '90th percentile duration in ms (nearest rank)', example: 310_000 })
  p90: number;
}

export class ServiceTypeStatsDto {
  @ApiProperty({ example: 'Sales' })
  service_type: string;

  @ApiProperty({ description: 'Services started in the window and active now', example: 2 })
  active: number;

  @ApiProperty({ description: 'Services started in the window', example: 42 })
  started: number;

  @ApiProperty({ description: 'Services completed in the window', example: 40 })
  completed: number;

  @ApiProperty({
    type: DurationPercentilesDto,
    nullable: true,
    description: 'Durations of the services completed in the window; null when none was',
  })
  duration_ms: DurationPercentilesDto | null;
}

export class DispositionCountDto {
  @ApiProperty({ example: 'Resolved' })
  disposition: string;

  @ApiProperty({ example: 12 })
  count: number;
}

/** The answer of `GET /stats/services`. */
export class ServiceStatsResponseDto {
  @ApiProperty({
    description: 'Start of the window, rounded down to its bucket',
    example: '2026-11-30T10:00:00.000Z',
  })
  from: string;

  @ApiProperty({
    description: 'End of the window (exclusive)',
    example: '2026-12-01T10:00:00.000Z',
  })
  to: string;

  @ApiProperty({ enum: ['1h', '1d'], example: '1h' })
  bucket: string;

  @ApiProperty({ type: [StatsBucketDto], description: 'Every bucket of the window, oldest first' })
  series: StatsBucketDto[];

  @ApiProperty({ type: [ServiceTypeStatsDto], description: 'Per service type, by name' })
  by_type: ServiceTypeStatsDto[];

  @ApiProperty({
    type: [DispositionCountDto],
    description: 'The ten most frequent dispositions of the services completed in the window',
  })
  dispositions: DispositionCountDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** When and through what an object started or completed (docs/API.md §2.6). */
export class EventRecordResponseDto {
  @ApiProperty({ example: '2026-11-27T15:23:34.447Z' })
  timestamp: string;

  @ApiPropertyOptional() session_id?: string;
  @ApiPropertyOptional() interaction_id?: string;
  @ApiPropertyOptional() application_type?: string;
  @ApiPropertyOptional() application_id?: number;
  @ApiPropertyOptional() resource_type?: string;
  @ApiPropertyOptional() resource_id?: number;
  @ApiPropertyOptional() media_type?: string;
}

/** What services, states and tasks have in common when returned. */
export class TrackedObjectResponseDto {
  @ApiPropertyOptional({ description: 'Expected duration, seconds' }) est_duration?: number;
  @ApiPropertyOptional({ description: 'Milliseconds from start to completion' }) duration?: number;
  @ApiPropertyOptional() disposition?: string;
  @ApiPropertyOptional() disposition_desc?: string;
  @ApiProperty({ type: EventRecordResponseDto }) started: EventRecordResponseDto;
  @ApiPropertyOptional({ type: EventRecordResponseDto, description: 'Present once completed' })
  completed?: EventRecordResponseDto;
}

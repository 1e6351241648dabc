import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A note as returned (docs/API.md §4.5). */
export class NoteResponseDto {
  @ApiProperty({ example: 42 }) note_id: number;
  @ApiProperty({ example: 111222 }) service_id: number;
  @ApiProperty({ example: 'Asked to be called back after 6 pm' }) text: string;
  @ApiPropertyOptional({ example: 'agent-1183' }) author?: string;
  @ApiProperty({ example: '2026-11-27T15:23:34.447Z' }) created_at: string;
}

export class NoteAddedDto {
  @ApiProperty({ example: 42 }) note_id: number;
}

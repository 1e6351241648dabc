import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TrackedObjectResponseDto } from '../../reads/dto/event-record-response.dto';

/** A task as returned (docs/API.md §2.6); `service_id` only when it is the top-level object. */
export class TaskResponseDto extends TrackedObjectResponseDto {
  @ApiProperty({ example: 555666 }) task_id: number;
  @ApiProperty({ example: 'MyTask1' }) task_type: string;
  @ApiPropertyOptional({ example: 333444 }) state_id?: number;
  @ApiPropertyOptional({ example: 111222 }) service_id?: number;
}

export class TaskStartedDto {
  @ApiProperty({ example: 555666 }) task_id: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TrackedObjectResponseDto } from '../../reads/dto/event-record-response.dto';
import { TaskResponseDto } from '../../tasks/dto/task-response.dto';

/** A state as returned (docs/API.md §2.6); `service_id` only when it is the top-level object. */
export class StateResponseDto extends TrackedObjectResponseDto {
  @ApiProperty({ example: 333444 }) state_id: number;
  @ApiProperty({ example: 'MyState1' }) state_type: string;
  @ApiPropertyOptional({ example: 111222 }) service_id?: number;
  @ApiPropertyOptional({ example: 333443 }) previous_state_id?: number;
  @ApiPropertyOptional({ type: [TaskResponseDto] }) active_tasks?: TaskResponseDto[];
  @ApiPropertyOptional({ type: [TaskResponseDto] }) completed_tasks?: TaskResponseDto[];
}

export class StateStartedDto {
  @ApiProperty({ example: 333444 }) state_id: number;
}

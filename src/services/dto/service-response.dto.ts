import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TrackedObjectResponseDto } from '../../reads/dto/event-record-response.dto';
import { StateResponseDto } from '../../states/dto/state-response.dto';
import { TaskResponseDto } from '../../tasks/dto/task-response.dto';

/** A service as returned (docs/API.md §2.6); requested extensions appear as extra properties. */
export class ServiceResponseDto extends TrackedObjectResponseDto {
  @ApiProperty({ example: 111222 }) service_id: number;
  @ApiPropertyOptional({ example: 'MyService1' }) service_type?: string;
  @ApiPropertyOptional({ example: 'cust-00042' }) customer_id?: string;
  @ApiPropertyOptional({ example: '+33123456789' }) contact_key?: string;
  @ApiPropertyOptional({ example: '2026-12-11T15:23:34.447Z' }) expiration_time?: string;
  @ApiPropertyOptional({ type: [StateResponseDto] }) active_states?: StateResponseDto[];
  @ApiPropertyOptional({ type: [StateResponseDto] }) completed_states?: StateResponseDto[];
  @ApiPropertyOptional({ type: [TaskResponseDto] }) active_tasks?: TaskResponseDto[];
  @ApiPropertyOptional({ type: [TaskResponseDto] }) completed_tasks?: TaskResponseDto[];
  @ApiPropertyOptional({
    example: 250,
    description:
      'States of the nested arrays left out past NESTED_READ_LIMIT (the oldest are shown); ' +
      '`GET /services/{id}/states` pages through them all. Absent when none is left out.',
  })
  more_states?: number;
  @ApiPropertyOptional({ example: 250, description: 'As more_states, for the tasks' })
  more_tasks?: number;
}

export class ServiceStartedDto {
  @ApiProperty({ example: 111222 }) service_id: number;
}

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
}

export class ServiceStartedDto {
  @ApiProperty({ example: 111222 }) service_id: number;
}

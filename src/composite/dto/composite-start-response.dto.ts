import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** `created` is the string "true" or "false", exactly as the Context Services reference answers. */
type CreatedFlag = 'true' | 'false';

const CREATED = { enum: ['true', 'false'], description: 'Whether this request created the object' };

export class CompositeServiceResultDto {
  @ApiProperty({ example: 111222 })
  service_id: number;

  @ApiProperty({ ...CREATED, example: 'false' })
  created: CreatedFlag;
}

export class CompositeStateResultDto {
  @ApiProperty({ example: 333444 })
  state_id: number;

  @ApiProperty({ ...CREATED, example: 'true' })
  created: CreatedFlag;
}

export class CompositeTaskResultDto {
  @ApiProperty({ example: 555666 })
  task_id: number;

  @ApiProperty({ ...CREATED, example: 'true' })
  created: CreatedFlag;
}

export class CompositeResultDto {
  @ApiProperty()
  service: CompositeServiceResultDto;

  @ApiProperty()
  state: CompositeStateResultDto;

  @ApiPropertyOptional({ description: 'Present when the event had a task' })
  task?: CompositeTaskResultDto;
}

export class CompositeStartResponseDto {
  @ApiProperty({
    type: [CompositeResultDto],
    description: 'One result per event, in request order',
  })
  services: CompositeResultDto[];
}

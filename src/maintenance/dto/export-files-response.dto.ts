import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ExportFilesResponseDto {
  @ApiProperty({
    description: 'The three files in EXPORT_DIR: services, states, tasks',
    example:
      'export20261201_204512_345_services.json, export20261201_204512_345_states.json, ' +
      'export20261201_204512_345_tasks.json',
  })
  created: string;

  @ApiPropertyOptional({
    description: 'Only when no service matched: then no file is written and `created` is empty',
    example: 'no service matched the query; no file was written',
  })
  message?: string;
}

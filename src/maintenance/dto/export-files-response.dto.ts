import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ExportFilesResponseDto {
  @ApiProperty({
    description: 'The three files in EXPORT_DIR: services, states, tasks',
    example:
      'export-20261201T204512-345Z-9f86d081-services.jsonl, export-20261201T204512-345Z-9f86d081-states.jsonl, ' +
      'export-20261201T204512-345Z-9f86d081-tasks.jsonl',
  })
  created: string;

  @ApiPropertyOptional({
    description: 'Only when no service matched: then no file is written and `created` is empty',
    example: 'no service matched the query; no file was written',
  })
  message?: string;
}

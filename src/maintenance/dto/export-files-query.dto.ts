import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ExportQueryDto } from '../../services/dto/export-query.dto';
import { EXPORT_FORMATS, type ExportFormat } from '../export-formats';

/** Query of `POST /maintenance/services/files` (docs/API.md §6.5): the stream's, and the files' format. */
export class ExportFilesQueryDto extends ExportQueryDto {
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'must be json or csv' })
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description:
      'json (default): JSON Lines files named …_services.json; csv: one header row and a row per object, ' +
      'extensions together as one JSON column, files named …_services.csv',
  })
  format?: ExportFormat;
}

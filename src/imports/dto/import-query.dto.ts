import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

/** Query of `POST /maintenance/services/import` (docs/API.md §6.5). */
export class ImportQueryDto {
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'must be 1 to 64 letters, digits, dots, dashes or underscores',
  })
  @ApiPropertyOptional({
    example: 'genesys-prod',
    description:
      'Names the source (default `default`): a service is found again by `<source>:<its source id>`, so ' +
      'that sources whose ids overlap stay apart',
  })
  source?: string;
}

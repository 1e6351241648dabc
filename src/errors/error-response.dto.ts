import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'services[0].state.state_type' })
  path: string;

  @ApiProperty({ example: 'must be a string or an integer' })
  problem: string;
}

/** The one body every error answers with (docs/API.md §7). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({
    example: 'ValidationException',
    description:
      "Machine-readable kind of error; with ERROR_STYLE=genesys, Genesys's full class name " +
      '(com.genesyslab.gsg.services.contextservices.exceptions.ValidationException)',
  })
  exception: string;

  @ApiProperty({ example: 'services[0].state.state_type must be a string or an integer' })
  message: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto], description: 'One entry per invalid field' })
  details?: ErrorDetailDto[];

  @ApiProperty({ example: '5f0c6b1e-9a3c-4b7e-8c1d-2f4a6e8b0c3d' })
  request_id: string;
}

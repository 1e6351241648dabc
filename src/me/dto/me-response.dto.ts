import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PrincipalDto {
  @ApiProperty({
    enum: ['anonymous', 'api_key'],
    description: 'How the request was authenticated: `anonymous` when access control is off',
    example: 'api_key',
  })
  kind: 'anonymous' | 'api_key';

  @ApiPropertyOptional({ description: "The API key's name", example: 'ivr' })
  name?: string;
}

export class MeResponseDto {
  @ApiProperty({
    description: 'The tenant the request acts for (ContactCenterId, resolved)',
    example: 'acme',
  })
  tenant: string;

  @ApiPropertyOptional({ description: 'The GroupId the request carries', example: 'sales-desk' })
  group_id?: string;

  @ApiProperty({
    enum: ['reader', 'writer', 'admin'],
    description: 'What the caller may do (docs/API.md §6.2); admin when access control is off',
    example: 'writer',
  })
  role: 'reader' | 'writer' | 'admin';

  @ApiProperty({ type: PrincipalDto })
  principal: PrincipalDto;

  @ApiProperty({ description: 'Whether access control is on (API_KEYS)', example: true })
  access_control: boolean;

  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      "The tenants the caller may act for, by name: its key's, or TENANTS; null when any tenant name is accepted",
    example: ['acme', 'globex'],
  })
  tenants: string[] | null;
}

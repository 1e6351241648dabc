import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CV_ATTRIBUTES } from '../config/business-attributes-file';

export class AttributeValueDto {
  @ApiProperty({ example: 'voice' }) name: string;
  @ApiPropertyOptional({ example: 1 }) dbid?: number;
  @ApiPropertyOptional({ example: 'Voice' }) display_name?: string;
  @ApiPropertyOptional() description?: string;
}

/** A business attribute as Genesys models it, with the Context Services fields it governs. */
export class BusinessAttributeDto extends AttributeValueDto {
  @ApiPropertyOptional({
    enum: CV_ATTRIBUTES,
    isArray: true,
    example: ['Service.media_type', 'State.media_type', 'Task.media_type'],
    description: "The fields whose values must be one of this attribute's values",
  })
  cv_attributes?: string[];

  @ApiProperty({ type: [AttributeValueDto] }) values: AttributeValueDto[];
}

export class BusinessAttributesQueryDto {
  @IsOptional()
  @IsIn(CV_ATTRIBUTES, { message: `must be one of ${CV_ATTRIBUTES.join(', ')}` })
  @ApiPropertyOptional({
    enum: CV_ATTRIBUTES,
    description: 'Only the attribute governing this field (404 when none does)',
  })
  'cv-attribute'?: string;
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { NotFoundApiException } from '../errors/api-exceptions';
import { BusinessAttribute } from '../config/business-attributes-file';
import { BusinessAttributeDto, BusinessAttributesQueryDto } from './business-attribute.dto';
import { BusinessAttributesService } from './business-attributes.service';

/** The business attributes of BUSINESS_ATTRIBUTES_FILE, as Genesys's metadata API answers them (§6.6). */
@ApiTags('Metadata')
@ApiTenantHeaders()
@Controller('metadata/business-attributes')
export class BusinessAttributesController {
  constructor(private readonly attributes: BusinessAttributesService) {}

  @Get()
  @ApiEndpoint({
    summary: 'Every business attribute (an empty array without the file)',
    description:
      'With `cv-attribute=Service.media_type`: the one attribute governing that field, 404 when none does.',
    type: [BusinessAttributeDto],
    errors: [400, 404, 500],
  })
  all(@Query() query: BusinessAttributesQueryDto): BusinessAttribute[] | BusinessAttribute {
    const field = query['cv-attribute'];
    if (field === undefined) return this.attributes.attributes;
    const governing = this.attributes.governing(field);
    if (!governing) throw new NotFoundApiException(`no business attribute governs ${field}`);
    return governing;
  }

  @Get(':name')
  @ApiEndpoint({
    summary: 'One business attribute, by its name (MediaType)',
    type: BusinessAttributeDto,
    errors: [404, 500],
  })
  one(@Param('name') name: string): BusinessAttribute {
    const attribute = this.attributes.named(name);
    if (!attribute) throw new NotFoundApiException(`business attribute ${name} is not configured`);
    return attribute;
  }
}

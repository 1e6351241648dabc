import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiTenantHeaders } from '../common/api-endpoint.decorator';
import { NotFoundApiException } from '../errors/api-exceptions';
import { BUSINESS_ATTRIBUTES, BusinessAttribute } from './business-attribute.decorator';
import { AttributeCatalog, AttributeValue } from './business-attributes.catalog';
import { BusinessAttributesService } from './business-attributes.service';

@ApiTags('Metadata')
@ApiTenantHeaders()
@Controller('metadata/business-attributes')
export class BusinessAttributesController {
  constructor(private readonly attributes: BusinessAttributesService) {}

  @Get()
  @ApiEndpoint({
    summary:
      'The allowed values of every restricted business attribute (empty when none is configured)',
    errors: [500],
  })
  all(): AttributeCatalog {
    return this.attributes.catalog ?? {};
  }

  @Get(':name')
  @ApiEndpoint({ summary: 'The allowed values of one business attribute', errors: [404, 500] })
  one(@Param('name') name: string): AttributeValue[] {
    const values = (BUSINESS_ATTRIBUTES as readonly string[]).includes(name)
      ? this.attributes.catalog?.[name as BusinessAttribute]
      : undefined;
    if (!values) throw new NotFoundApiException(`business attribute ${name} is not configured`);
    return values;
  }
}

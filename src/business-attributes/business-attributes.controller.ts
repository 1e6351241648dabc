import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { NotFoundApiException } from '../errors/api-exceptions';
import {
  AttributeCatalog,
  AttributeValue,
  BUSINESS_ATTRIBUTES,
  BusinessAttribute,
} from '../config/business-attributes-file';
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

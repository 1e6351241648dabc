import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { JourneyEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, CodeField, TypeField } from '../../validation/field.decorators';
import { Expiring, MAX_SECONDS } from './expiring.mixin';

/** The fields of a service start event (docs/API.md §2.2) other than `service_type`, whose presence rule varies. */
@JourneyLevel('Service')
export class ServiceEventFieldsDto extends Expiring(JourneyEventDto) {
  @CodeField(64, {
    requiredUnless: 'contact_key',
    description: 'The customer; at least one of customer_id and contact_key is required',
    example: 'cust-00042',
  })
  customer_id?: string;

  @CodeField(128, {
    description: 'Identifies an anonymous customer (a phone number, a PIN)',
    example: '+33123456789',
  })
  contact_key?: string;

  @CountField({ description: 'Expected duration in seconds', example: 60 })
  est_duration?: number;

  @CountField({
    max: MAX_SECONDS,
    description: 'Seconds of inactivity after which the service completes itself',
  })
  auto_complete_after?: number;
}

/** Body of a plain service start: `service_type` is optional. Any other key is an extension. */
export class ServiceStartEventDto extends ServiceEventFieldsDto {
  @TypeField({ example: 'MyService1' })
  @BusinessAttributeField('type')
  service_type?: string;
}

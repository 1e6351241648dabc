import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { JourneyEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, CodeField, TypeField } from '../../validation/field.decorators';
import { Expiring, MAX_SECONDS } from './expiring.mixin';

/**
 * Optional body of an association with a customer (docs/API.md §4.1): any field of a service start, each
 * given one updating the service (event fields update its start record), and extensions to replace.
 * `customer_id` may come along when it is the path's.
 */
@JourneyLevel('Service')
export class AssociateServiceDto extends Expiring(JourneyEventDto) {
  @CodeField(64, { description: "Accepted when it equals the path's customer_id" })
  customer_id?: string;

  @TypeField({ example: 'MyService1' })
  @BusinessAttributeField('type')
  service_type?: string;

  @CodeField(128, { example: '+33123456789' })
  contact_key?: string;

  @CountField({ description: 'Expected duration in seconds' })
  est_duration?: number;

  @CountField({
    max: MAX_SECONDS,
    description: 'Seconds of inactivity after which the service completes itself',
  })
  auto_complete_after?: number;
}

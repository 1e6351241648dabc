import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { EndEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, CodeField, TypeField } from '../../validation/field.decorators';
import { Expiring, MAX_SECONDS } from './expiring.mixin';

/**
 * Body of a service completion: an end event that may also set when the service expires. Genesys clients
 * send the body of the service's start again: its other fields are accepted, checked like a start's, and
 * change nothing (docs/API.md §2.5).
 */
@JourneyLevel('Service')
export class ServiceEndEventDto extends Expiring(EndEventDto) {
  @CodeField(64, { description: 'As started (ignored)' })
  customer_id?: string;

  @CodeField(128, { description: 'As started (ignored)' })
  contact_key?: string;

  @TypeField({ description: "The service's type, as started (ignored)" })
  @BusinessAttributeField('type')
  service_type?: string;

  @CountField({ description: 'As started (ignored)' })
  est_duration?: number;

  @CountField({ max: MAX_SECONDS, description: 'As started (ignored)' })
  auto_complete_after?: number;
}

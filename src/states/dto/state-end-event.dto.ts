import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { EndEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, IdField, TypeField } from '../../validation/field.decorators';

/**
 * Body of a state completion. Genesys clients send the body of the state's start again: its own fields
 * are accepted, checked like a start's, and change nothing (docs/API.md §2.5).
 */
@JourneyLevel('State')
export class StateEndEventDto extends EndEventDto {
  @TypeField({ description: "The state's type, as started (ignored)" })
  @BusinessAttributeField('type')
  state_type?: string;

  @IdField({ description: 'As started (ignored)' })
  previous_state_id?: number;

  @CountField({ description: 'As started (ignored)' })
  est_duration?: number;
}

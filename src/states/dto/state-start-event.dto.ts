import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { JourneyEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, IdField, TypeField } from '../../validation/field.decorators';

/** Body of a state start (docs/API.md §2.3). Any other key is an extension. */
@JourneyLevel('State')
export class StateStartEventDto extends JourneyEventDto {
  @TypeField({ required: true, example: 'MyState1' })
  @BusinessAttributeField('type')
  state_type: string;

  @IdField({ description: 'The state this one follows, in the same service' })
  previous_state_id?: number;

  @CountField({ description: 'Expected duration in seconds', example: 60 })
  est_duration?: number;
}

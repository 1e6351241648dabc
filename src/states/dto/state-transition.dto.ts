import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { EventFieldsDto } from '../../journey/dto/event-fields.dto';
import {
  CountField,
  IdField,
  NestedField,
  TextField,
  TypeField,
} from '../../validation/field.decorators';

/** The state a transition completes. */
@JourneyLevel('State')
export class TransitionFromDto {
  @IdField({ required: true, example: 333444 })
  state_id: number;

  @TypeField({ example: 'identified' })
  @BusinessAttributeField('disposition')
  disposition?: string;

  @TextField(64, { freeText: true, example: 'Caller identified by PIN' })
  disposition_desc?: string;
}

/** The state a transition starts. */
@JourneyLevel('State')
export class TransitionToDto {
  @TypeField({ required: true, example: 'Queue' })
  @BusinessAttributeField('type')
  state_type: string;

  @CountField({ description: 'Expected duration in seconds' })
  est_duration?: number;
}

/**
 * Body of a transition (docs/API.md §4.2): completes `from` and starts `to` in one transaction. The event fields
 * apply to both; any other top-level key is an extension of the new state.
 */
@JourneyLevel('State')
export class StateTransitionDto extends EventFieldsDto {
  @NestedField(() => TransitionFromDto, { required: true })
  from: TransitionFromDto;

  @NestedField(() => TransitionToDto, { required: true })
  to: TransitionToDto;
}

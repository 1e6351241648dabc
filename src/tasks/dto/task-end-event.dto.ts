import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { EndEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, IdField, TypeField } from '../../validation/field.decorators';

/**
 * Body of a task completion. Genesys clients send the body of the task's start again: its own fields are
 * accepted, checked like a start's, and change nothing (docs/API.md §2.5).
 */
@JourneyLevel('Task')
export class TaskEndEventDto extends EndEventDto {
  @TypeField({ description: "The task's type, as started (ignored)" })
  @BusinessAttributeField('type')
  task_type?: string;

  @IdField({ description: 'As started (ignored)' })
  state_id?: number;

  @CountField({ description: 'As started (ignored)' })
  est_duration?: number;
}

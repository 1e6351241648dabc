import {
  BusinessAttributeField,
  JourneyLevel,
} from '../../business-attributes/business-attribute.decorator';
import { JourneyEventDto } from '../../journey/dto/journey-event.dto';
import { CountField, IdField, TypeField } from '../../validation/field.decorators';

/** Body of a task start (docs/API.md §2.4). Any other key is an extension. */
@JourneyLevel('Task')
export class TaskStartEventDto extends JourneyEventDto {
  @TypeField({ required: true, example: 'MyTask1' })
  @BusinessAttributeField('type')
  task_type: string;

  @IdField({
    description: 'The state the task belongs to; without it the task belongs to the service itself',
  })
  state_id?: number;

  @CountField({ description: 'Expected duration in seconds', example: 60 })
  est_duration?: number;
}

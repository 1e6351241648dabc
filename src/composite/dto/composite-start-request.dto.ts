import { ValidateBy } from 'class-validator';
import { BusinessAttributeField } from '../../business-attributes/business-attribute.decorator';
import { ServiceEventFieldsDto } from '../../services/dto/service-start-event.dto';
import { StateStartEventDto } from '../../states/dto/state-start-event.dto';
import { TaskStartEventDto } from '../../tasks/dto/task-start-event.dto';
import {
  BooleanField,
  NestedArrayField,
  NestedField,
  TypeField,
} from '../../validation/field.decorators';

/** The service part of a composite event: a service start event whose `service_type` is required. */
export class CompositeServiceEventDto extends ServiceEventFieldsDto {
  @TypeField({ required: true, example: 'MyService1' })
  @BusinessAttributeField('type')
  service_type: string;
}

/**
 * With `associate_state_task` true the task belongs to the event's own state, so it may not name another
 * one: reported at `task.state_id` (the pipe reads the context's `path`), with the body's other problems.
 */
function StateIdLeftOutWhenAssociated(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'stateIdLeftOutWhenAssociated',
      validator: {
        validate: (task: TaskStartEventDto | undefined, args) =>
          !(
            (args?.object as CompositeEventDto).associate_state_task === true &&
            task?.state_id !== undefined
          ),
        defaultMessage: () => 'must be left out when associate_state_task is true',
      },
    },
    { context: { path: 'state_id' } },
  );
}

/** One composite start event (docs/API.md §3). */
export class CompositeEventDto {
  @NestedField(() => CompositeServiceEventDto, { required: true })
  service: CompositeServiceEventDto;

  @NestedField(() => StateStartEventDto, { required: true })
  state: StateStartEventDto;

  @NestedField(() => TaskStartEventDto)
  @StateIdLeftOutWhenAssociated()
  task?: TaskStartEventDto;

  @BooleanField({
    description:
      "true: the task is found or created in the event's state; false (default): among the service's tasks that belong to no state",
  })
  associate_state_task?: boolean;
}

export class CompositeStartRequestDto {
  @NestedArrayField(() => CompositeEventDto, {
    required: true,
    description: 'The events, processed in one transaction (at most COMPOSITE_MAX_EVENTS)',
  })
  services: CompositeEventDto[];
}

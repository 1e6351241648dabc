import { Paged, TaskNestingQueryDto } from '../../reads/dto/read-query.dto';
import { TypeListQueryField } from '../../validation/field.decorators';

/** Query of a list of states. */
export class StateListQueryDto extends Paged(TaskNestingQueryDto) {
  @TypeListQueryField({
    description: 'Only these state types (comma-separated)',
    example: 'Identify,Queue',
  })
  state_types?: string[];
}

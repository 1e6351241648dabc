import { Paged, ReadQueryDto } from '../../reads/dto/read-query.dto';
import { IntegerQueryField, TypeListQueryField } from '../../validation/field.decorators';

/** Query of a list of tasks. */
export class TaskListQueryDto extends Paged(ReadQueryDto) {
  @TypeListQueryField({
    description: 'Only these task types (comma-separated)',
    example: 'Verify,Route',
  })
  task_types?: string[];

  @IntegerQueryField({
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    description: 'Only the tasks of this state',
  })
  state_id?: number;
}

import { NameFilter } from '../reads/extension-selection';
import { lifecycleJson, present, selectedExtensions } from '../reads/tracked-object.representation';
import { TaskResponseDto } from './dto/task-response.dto';
import { TaskEntity } from './task.entity';

/** A task as returned (docs/API.md §2.6); `service_id` only on the top-level object of a response. */
export function taskJson(
  task: TaskEntity,
  extensions: NameFilter,
  topLevel: boolean,
): TaskResponseDto {
  return {
    task_id: task.id,
    task_type: task.taskType,
    ...present({ state_id: task.stateId, service_id: topLevel ? task.serviceId : null }),
    ...lifecycleJson(task),
    ...selectedExtensions(task.extensions, extensions),
  };
}

import { ExtensionSelection } from '../reads/extension-selection';
import { nestedArrays } from '../reads/nested-arrays';
import { Status } from '../journey/status';
import { lifecycleJson, present, selectedExtensions } from '../reads/tracked-object.representation';
import { TaskEntity } from '../tasks/task.entity';
import { taskJson } from '../tasks/task.representation';
import { StateResponseDto } from './dto/state-response.dto';
import { StateEntity } from './state.entity';

export interface NestedTasks {
  status: Status | undefined;
  tasks: TaskEntity[];
}

/** A state as returned (docs/API.md §2.6), with its tasks when asked for. */
export function stateJson(
  state: StateEntity,
  selection: ExtensionSelection,
  topLevel: boolean,
  nested: NestedTasks = { status: undefined, tasks: [] },
): StateResponseDto {
  return {
    state_id: state.id,
    state_type: state.stateType,
    ...present({
      service_id: topLevel ? state.serviceId : null,
      previous_state_id: state.previousStateId,
    }),
    ...lifecycleJson(state),
    ...nestedArrays('tasks', nested.tasks, nested.status, (t) =>
      taskJson(t, selection.task, false),
    ),
    ...selectedExtensions(state.extensions, selection.state),
  };
}

import { ExtensionSelection } from '../reads/extension-selection';
import { nestedArrays } from '../reads/nested-arrays';
import { Status } from '../journey/status';
import {
  isoTime,
  lifecycleJson,
  present,
  selectedExtensions,
} from '../reads/tracked-object.representation';
import { StateEntity } from '../states/state.entity';
import { stateJson } from '../states/state.representation';
import { TaskEntity } from '../tasks/task.entity';
import { taskJson } from '../tasks/task.representation';
import { ServiceResponseDto } from './dto/service-response.dto';
import { ServiceEntity } from './service.entity';

export interface ServiceChildren {
  stateStatus: Status | undefined;
  states: StateEntity[];
  taskStatus: Status | undefined;
  tasks: TaskEntity[];
  /** How many states and tasks the read left out past NESTED_READ_LIMIT. */
  moreStates?: number;
  moreTasks?: number;
}

export const NO_CHILDREN: ServiceChildren = {
  stateStatus: undefined,
  states: [],
  taskStatus: undefined,
  tasks: [],
};

/**
 * A service as returned (docs/API.md §2.6). Its `active_tasks` / `completed_tasks` are all the service's tasks,
 * those of its states included (each says its `state_id`); nested states do not repeat them.
 */
export function serviceJson(
  service: ServiceEntity,
  selection: ExtensionSelection,
  children: ServiceChildren = NO_CHILDREN,
): ServiceResponseDto {
  return {
    service_id: service.id,
    ...present({
      service_type: service.serviceType,
      customer_id: service.customerId,
      contact_key: service.contactKey,
    }),
    ...lifecycleJson(service),
    ...present({ expiration_time: service.expiresAt === null ? null : isoTime(service.expiresAt) }),
    ...nestedArrays('states', children.states, children.stateStatus, (s) =>
      stateJson(s, selection, false),
    ),
    ...nestedArrays('tasks', children.tasks, children.taskStatus, (t) =>
      taskJson(t, selection.task, false),
    ),
    ...(children.moreStates ? { more_states: children.moreStates } : {}),
    ...(children.moreTasks ? { more_tasks: children.moreTasks } : {}),
    ...selectedExtensions(service.extensions, selection.service),
  };
}

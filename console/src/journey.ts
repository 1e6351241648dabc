/** The API's objects as the console reads them (docs/API.md §2.6), and what it derives from them. */

export interface EventRecord {
  timestamp: string;
  session_id?: string;
  interaction_id?: string;
  application_type?: string;
  application_id?: number;
  resource_type?: string;
  resource_id?: number;
  media_type?: string;
}

interface Tracked {
  est_duration?: number;
  duration?: number;
  disposition?: string;
  disposition_desc?: string;
  started: EventRecord;
  completed?: EventRecord;
  [extension: string]: unknown;
}

export interface ApiTask extends Tracked {
  task_id: number;
  task_type: string;
  state_id?: number;
}

export interface ApiState extends Tracked {
  state_id: number;
  state_type: string;
  previous_state_id?: number;
}

export interface ApiService extends Tracked {
  service_id: number;
  service_type?: string;
  customer_id?: string;
  contact_key?: string;
  expiration_time?: string;
  active_states?: ApiState[];
  completed_states?: ApiState[];
  active_tasks?: ApiTask[];
  completed_tasks?: ApiTask[];
}

export type ObjectKind = 'service' | 'state' | 'task';

/** One service, state or task as the timeline and the details panel show it. */
export interface JourneyObject {
  kind: ObjectKind;
  id: number;
  serviceId: number;
  type: string;
  start: number;
  /** Undefined while active: the timeline draws it up to "now". */
  end?: number;
  active: boolean;
  disposition?: string;
  dispositionDesc?: string;
  /** The channel: the start event's media_type. */
  media?: string;
  /** Every field of the object as the API returned it (nested arrays left out). */
  fields: Record<string, unknown>;
  /** The object's extensions: what is not a field of §2.6. */
  extensions: Record<string, unknown>;
}

export interface Lane {
  service: JourneyObject;
  states: JourneyObject[];
  tasks: JourneyObject[];
}

/** The fields of §2.6 every level has; what else an object carries, but its nested arrays, is an extension. */
const TRACKED = [
  'est_duration',
  'duration',
  'disposition',
  'disposition_desc',
  'started',
  'completed',
];
const SERVICE_FIELDS = new Set([
  ...TRACKED,
  ...['service_id', 'service_type', 'customer_id', 'contact_key', 'expiration_time'],
]);
const STATE_FIELDS = new Set([
  ...TRACKED,
  'state_id',
  'state_type',
  'service_id',
  'previous_state_id',
]);
const TASK_FIELDS = new Set([...TRACKED, 'task_id', 'task_type', 'state_id', 'service_id']);
const NESTED = new Set(['active_states', 'completed_states', 'active_tasks', 'completed_tasks']);

function split(object: Record<string, unknown>, known: Set<string>) {
  const fields: Record<string, unknown> = {};
  const extensions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object)) {
    if (NESTED.has(name)) continue;
    (known.has(name) ? fields : extensions)[name] = value;
  }
  return { fields, extensions };
}

function toObject(
  kind: ObjectKind,
  id: number,
  serviceId: number,
  type: string | undefined,
  raw: Tracked,
  known: Set<string>,
): JourneyObject {
  const end = raw.completed ? Date.parse(raw.completed.timestamp) : undefined;
  return {
    kind,
    id,
    serviceId,
    type: type ?? '',
    start: Date.parse(raw.started.timestamp),
    end,
    active: end === undefined,
    disposition: raw.disposition,
    dispositionDesc: raw.disposition_desc,
    media: raw.started.media_type,
    ...split(raw, known),
  };
}

const byStart = (a: JourneyObject, b: JourneyObject) => a.start - b.start || a.id - b.id;

/** Services (read with their states, tasks and extensions) → one lane each, oldest service first. */
export function toLanes(services: ApiService[]): Lane[] {
  return services
    .map((service) => {
      const id = service.service_id;
      const states = [...(service.completed_states ?? []), ...(service.active_states ?? [])].map(
        (s) => toObject('state', s.state_id, id, s.state_type, s, STATE_FIELDS),
      );
      const tasks = [...(service.completed_tasks ?? []), ...(service.active_tasks ?? [])].map((t) =>
        toObject('task', t.task_id, id, t.task_type, t, TASK_FIELDS),
      );
      return {
        service: toObject('service', id, id, service.service_type, service, SERVICE_FIELDS),
        states: states.sort(byStart),
        tasks: tasks.sort(byStart),
      };
    })
    .sort((a, b) => byStart(a.service, b.service));
}

export interface LaneFilter {
  serviceType?: string;
  status: 'all' | 'active' | 'completed';
  /** Epoch ms; a lane shows when its service overlaps [from, to). */
  from?: number;
  to?: number;
}

export function filterLanes(lanes: Lane[], filter: LaneFilter, now: number): Lane[] {
  return lanes.filter(({ service }) => {
    if (filter.serviceType && service.type !== filter.serviceType) return false;
    if (filter.status === 'active' && !service.active) return false;
    if (filter.status === 'completed' && service.active) return false;
    const end = service.end ?? now;
    if (filter.from !== undefined && end < filter.from) return false;
    if (filter.to !== undefined && service.start >= filter.to) return false;
    return true;
  });
}

/** The time span every lane fits in, `now` included when anything is active, with a little margin. */
export function extentOf(lanes: Lane[], now: number): [number, number] {
  if (lanes.length === 0) return [now - 3_600_000, now];
  let min = Infinity;
  let max = -Infinity;
  for (const { service, states, tasks } of lanes) {
    for (const object of [service, ...states, ...tasks]) {
      min = Math.min(min, object.start);
      max = Math.max(max, object.end ?? now);
    }
  }
  const margin = Math.max((max - min) * 0.05, 5_000);
  return [min - margin, max + margin];
}

/** Every object of the lanes by `kind:id`, for selection. */
export function indexObjects(lanes: Lane[]): Map<string, JourneyObject> {
  const index = new Map<string, JourneyObject>();
  for (const { service, states, tasks } of lanes) {
    for (const object of [service, ...states, ...tasks]) index.set(keyOf(object), object);
  }
  return index;
}

export const keyOf = (object: Pick<JourneyObject, 'kind' | 'id'>) => `${object.kind}:${object.id}`;

/** The query that reads a service with everything the timeline shows. */
export const WHOLE =
  'active_states=true&completed_states=true&active_tasks=true&completed_tasks=true&extensions=*';

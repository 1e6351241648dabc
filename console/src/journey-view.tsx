import { useMemo, useState } from 'preact/hooks';
import { call, Role, Session } from './api';
import { Details } from './details';
import { localTime } from './format';
import {
  ApiService,
  filterLanes,
  indexObjects,
  JourneyObject,
  keyOf,
  LaneFilter,
  toLanes,
  WHOLE,
} from './journey';
import { useLive } from './live';
import { Route } from './routes';
import { TimelineView } from './timeline/timeline-view';

type JourneyRoute = Extract<Route, { kind: 'customer' | 'anonymous' | 'service' }>;

function load(session: Session, route: JourneyRoute): Promise<ApiService[]> {
  const id = encodeURIComponent(route.id);
  if (route.kind === 'service') {
    return call<ApiService>(session, 'GET', `/services/${id}?${WHOLE}`).then((service) => [
      service,
    ]);
  }
  const list =
    route.kind === 'customer' ? `/customers/${id}/services` : `/services/anonymous/${id}`;
  return call<ApiService[]>(session, 'GET', `${list}?${WHOLE}`);
}

const dateValue = (ms?: number) =>
  ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);

/** A customer's, a contact key's or one service's journey: filters, the timeline, the selected object. */
export function JourneyView(props: {
  session: Session;
  role: Role;
  route: JourneyRoute;
  onNavigate: (route: Route) => void;
}) {
  const { session, role, route } = props;
  const [loaded, reload] = useLive(() => load(session, route), `${route.kind}:${route.id}`);
  const [selected, setSelected] = useState<string | undefined>();
  const [filter, setFilter] = useState<LaneFilter>({ status: 'all' });
  const [notice, setNotice] = useState<string | undefined>();

  const now = loaded.state === 'ready' ? loaded.at : Date.now();
  const lanes = useMemo(() => (loaded.state === 'ready' ? toLanes(loaded.data) : []), [loaded]);
  const shown = filterLanes(lanes, filter, now);
  const objects = indexObjects(lanes);
  const current: JourneyObject | undefined = selected ? objects.get(selected) : undefined;
  const types = [...new Set(lanes.map((lane) => lane.service.type))].sort();
  const title =
    route.kind === 'customer'
      ? `Customer ${route.id}`
      : route.kind === 'anonymous'
        ? `Contact key ${route.id}`
        : `Service ${route.id}`;

  return (
    <section class="journey">
      <div class="journey-head">
        <h1>{title}</h1>
        {loaded.state === 'ready' && (
          <span class="muted" aria-live="polite">
            {lanes.length} service{lanes.length === 1 ? '' : 's'} · updated {localTime(loaded.at)}
          </span>
        )}
      </div>
      <form class="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Service type
          <select
            value={filter.serviceType ?? ''}
            onChange={(e) =>
              setFilter({ ...filter, serviceType: e.currentTarget.value || undefined })
            }
          >
            <option value="">all</option>
            {types.map((type) => (
              <option key={type} value={type}>
                {type || '(no type)'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select
            value={filter.status}
            onChange={(e) =>
              setFilter({ ...filter, status: e.currentTarget.value as LaneFilter['status'] })
            }
          >
            <option value="all">all</option>
            <option value="active">active</option>
            <option value="completed">completed</option>
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            value={dateValue(filter.from)}
            onChange={(e) =>
              setFilter({
                ...filter,
                from: e.currentTarget.value ? Date.parse(e.currentTarget.value) : undefined,
              })
            }
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={dateValue(filter.to === undefined ? undefined : filter.to - 86_400_000)}
            onChange={(e) =>
              setFilter({
                ...filter,
                to: e.currentTarget.value
                  ? Date.parse(e.currentTarget.value) + 86_400_000
                  : undefined,
              })
            }
          />
        </label>
      </form>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {loaded.state === 'loading' && <p class="loading">Loading the journey…</p>}
      {loaded.state === 'error' && (
        <p class="error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && lanes.length === 0 && (
        <p class="empty">No services here (yet).</p>
      )}
      {loaded.state === 'ready' && lanes.length > 0 && shown.length === 0 && (
        <p class="empty">No service matches the filters.</p>
      )}
      {shown.length > 0 && (
        <div class={`journey-body${current ? ' with-details' : ''}`}>
          <TimelineView
            lanes={shown}
            now={now}
            selected={selected}
            onSelect={(object) => setSelected(keyOf(object))}
          />
          {current && (
            <Details
              session={session}
              role={role}
              object={current}
              onChanged={(message) => {
                setNotice(message);
                reload();
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}

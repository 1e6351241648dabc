import { useState } from 'preact/hooks';
import { call, Session } from '../api';
import { duration, localTime } from '../format';
import type { ApiService } from '../journey';
import { useLive } from '../live';
import type { Route } from '../routes';
import { MOST, PAGE, workItems, workListPath } from './worklist';

/**
 * In flight (`/console/active`): every active service of the tenant, the longest-running first, with how
 * long each has run and whether it is past its estimate: where a supervisor finds the stuck journey.
 */
export function WorkListView(props: {
  session: Session;
  type?: string;
  onNavigate: (route: Route) => void;
}) {
  const { session, type, onNavigate } = props;
  const [count, setCount] = useState(PAGE);
  const [loaded] = useLive(
    () => call<ApiService[]>(session, 'GET', workListPath(count, type)),
    `active:${session.tenant}:${type ?? ''}:${count}`,
  );
  const link = (route: Route, text: string) => (
    <a
      href="#"
      onClick={(event) => {
        event.preventDefault();
        onNavigate(route);
      }}
    >
      {text}
    </a>
  );

  if (loaded.state === 'loading') return <p class="loading">Loading what is in flight…</p>;
  if (loaded.state === 'error') {
    return (
      <p class="error" role="alert">
        {loaded.message}
      </p>
    );
  }
  const items = workItems(loaded.data, loaded.at);
  const more = items.length === Math.min(count, MOST) && count < MOST;
  return (
    <section class="worklist">
      <div class="journey-head">
        <h1>In flight{type !== undefined ? ` · ${type || '(no type)'}` : ''}</h1>
        <span class="muted">updated {localTime(loaded.at)}</span>
      </div>
      <p class="muted" data-count={items.length}>
        {items.length === 0
          ? 'No active service.'
          : `${items.length} active service${items.length === 1 ? '' : 's'}${more ? ' shown' : ''}, the longest-running first`}
        {type !== undefined && <> · {link({ kind: 'active' }, 'every type')}</>}
      </p>
      {items.length > 0 && (
        <table aria-label="Active services, the longest-running first">
          <thead>
            <tr>
              <th scope="col">service</th>
              <th scope="col">customer</th>
              <th scope="col">type</th>
              <th scope="col">now in</th>
              <th scope="col">started</th>
              <th scope="col">running for</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.serviceId}
                data-service-id={item.serviceId}
                class={item.overEstimate ? 'late' : undefined}
              >
                <th scope="row">
                  {link({ kind: 'service', id: String(item.serviceId) }, `#${item.serviceId}`)}
                </th>
                <td data-label="customer">
                  {item.who === undefined
                    ? '–'
                    : 'customer' in item.who
                      ? link({ kind: 'customer', id: item.who.customer }, item.who.customer)
                      : link({ kind: 'anonymous', id: item.who.contactKey }, item.who.contactKey)}
                </td>
                <td data-label="type">
                  {item.type ? link({ kind: 'active', type: item.type }, item.type) : '(no type)'}
                </td>
                <td data-label="now in">{item.at ?? '–'}</td>
                <td data-label="started">{localTime(item.startedAt)}</td>
                <td data-label="running for">
                  {duration(item.runningMs)}
                  {item.overEstimate && (
                    <span class="badge late">over its estimate ({duration(item.estimateMs!)})</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" onClick={() => setCount((n) => n + PAGE)}>
          Show {PAGE} more
        </button>
      )}
      {!more && items.length === MOST && (
        <p class="muted">Showing the {MOST} longest-running; filter by type to see the others.</p>
      )}
    </section>
  );
}

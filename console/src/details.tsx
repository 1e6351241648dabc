import { useState } from 'preact/hooks';
import { ApiError, call, Role, Session } from './api';
import { duration, localTime, utcTime } from './format';
import { EventRecord, JourneyObject } from './journey';
import { Notes } from './notes';

interface Props {
  session: Session;
  role: Role;
  object: JourneyObject;
  /** Called after a change went through, so that the view reads the journey again. */
  onChanged: (message: string) => void;
}

const pathOf = (object: JourneyObject) =>
  object.kind === 'service'
    ? `/services/${object.id}`
    : `/services/${object.serviceId}/${object.kind}s/${object.id}`;

function Time({ ms }: { ms: number }) {
  return (
    <time dateTime={new Date(ms).toISOString()} title={utcTime(ms)}>
      {localTime(ms)}
    </time>
  );
}

function EventFields({ title, event }: { title: string; event?: EventRecord }) {
  if (!event) return null;
  return (
    <div class="event">
      <h4>{title}</h4>
      <dl>
        {Object.entries(event).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              {name === 'timestamp' ? <Time ms={Date.parse(String(value))} /> : String(value)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Every field of the selected object, its events and extensions, and what the key's role may do to it. */
export function Details({ session, role, object, onChanged }: Props) {
  const fields = object.fields;
  const elapsed = (object.end ?? Date.now()) - object.start;
  return (
    <aside class="details" aria-label="Details" data-kind={object.kind} data-id={object.id}>
      <h3>
        {object.kind} {object.type} <span class="muted">#{object.id}</span>
      </h3>
      <p>
        {object.active ? 'Active' : 'Completed'} · {object.active ? 'running for' : 'took'}{' '}
        {duration(elapsed)}
        {typeof fields.est_duration === 'number' && (
          <> · estimated {duration(fields.est_duration * 1000)}</>
        )}
      </p>
      <dl class="fields">
        <div>
          <dt>started</dt>
          <dd>
            <Time ms={object.start} />
          </dd>
        </div>
        {object.end !== undefined && (
          <div>
            <dt>completed</dt>
            <dd>
              <Time ms={object.end} />
            </dd>
          </div>
        )}
        {Object.entries(fields)
          .filter(([name]) => name !== 'started' && name !== 'completed')
          .map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
      </dl>
      <EventFields title="started event" event={fields.started as EventRecord} />
      <EventFields title="completed event" event={fields.completed as EventRecord | undefined} />
      <h4>Extensions</h4>
      {Object.keys(object.extensions).length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <pre class="extensions">{JSON.stringify(object.extensions, null, 2)}</pre>
      )}
      {object.kind === 'service' && <Notes session={session} role={role} serviceId={object.id} />}
      {role !== 'reader' && hasActions(role, object) && (
        <Manage session={session} role={role} object={object} onChanged={onChanged} />
      )}
    </aside>
  );
}

/** Whether the role may do anything to the object: complete or transition it, associate, expire, delete. */
function hasActions(role: Role, object: JourneyObject): boolean {
  if (object.active) return true;
  return object.kind === 'service' && (role === 'admin' || !object.fields.customer_id);
}

function Manage({ session, role, object, onChanged }: Props) {
  const [disposition, setDisposition] = useState('');
  const [nextState, setNextState] = useState('');
  const [customer, setCustomer] = useState('');
  const [ttl, setTtl] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      onChanged(label);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const path = pathOf(object);
  const anonymous = object.kind === 'service' && !object.fields.customer_id;

  return (
    <section class="manage" aria-label="Manage">
      <h4>Manage</h4>
      {object.active && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(`${object.kind} ${object.id} completed`, () =>
              call(session, 'POST', `${path}/end`, disposition ? { disposition } : {}),
            );
          }}
        >
          <label>
            Disposition
            <input value={disposition} onInput={(e) => setDisposition(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy}>
            Complete {object.kind}
          </button>
        </form>
      )}
      {object.kind === 'state' && object.active && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(`state ${object.id} transitioned to ${nextState}`, () =>
              call(session, 'POST', `/services/${object.serviceId}/states/transition`, {
                from: { state_id: object.id, ...(disposition ? { disposition } : {}) },
                to: { state_type: nextState },
              }),
            );
          }}
        >
          <label>
            Next state type
            <input
              required
              value={nextState}
              onInput={(e) => setNextState(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            Transition
          </button>
        </form>
      )}
      {anonymous && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(`service ${object.id} associated with ${customer}`, () =>
              call(
                session,
                'POST',
                `/customers/${encodeURIComponent(customer)}/services/${object.id}`,
              ),
            );
          }}
        >
          <label>
            Customer id
            <input required value={customer} onInput={(e) => setCustomer(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy}>
            Associate
          </button>
        </form>
      )}
      {object.kind === 'service' && role === 'admin' && (
        <>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void run(`service ${object.id} expires in ${ttl} s`, () =>
                call(session, 'PUT', path, { ttl: Number(ttl) }),
              );
            }}
          >
            <label>
              Expire in (seconds)
              <input
                required
                inputMode="numeric"
                pattern="[0-9]+"
                value={ttl}
                onInput={(e) => setTtl(e.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              Set expiration
            </button>
          </form>
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() => {
              if (confirm(`Delete service ${object.id} with its states, tasks and extensions?`)) {
                void run(`service ${object.id} deleted`, () => call(session, 'DELETE', path));
              }
            }}
          >
            Delete service
          </button>
        </>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

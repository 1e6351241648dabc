import { useEffect, useState } from 'preact/hooks';
import { ApiError, Me, Session, whoAmI } from './api';
import { DashboardView } from './dashboard/dashboard-view';
import { JourneyView } from './journey-view';
import { parseRoute, pathOf, Route } from './routes';
import { WorkListView } from './worklist/worklist-view';

const STORE = 'cs-console-session';

/** The session lives in sessionStorage: it survives a reload, and ends with the browser tab. */
function storedSession(): Session | undefined {
  const raw = sessionStorage.getItem(STORE);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

function tenantInUrl(): string | undefined {
  return new URLSearchParams(location.search).get('tenant') ?? undefined;
}

/** What the page opens with: the tab's session for the link's tenant, else the link's tenant alone. */
function firstSession(): Session {
  const stored = storedSession();
  const tenant = tenantInUrl();
  return stored && (!tenant || tenant === stored.tenant) ? stored : { tenant };
}

/**
 * The session is checked with `GET /access/me` before anything is shown: a deep link opens the journey at
 * once where nothing needs a sign-in (access control off), and the sign-in page appears only when the
 * service asks for a key, or refuses the one given.
 */
type Checked =
  | { state: 'checking' }
  | { state: 'in'; session: Session; me: Me }
  | { state: 'out'; problem?: string };

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const [candidate, setCandidate] = useState<Session | undefined>(firstSession);
  const [checked, setChecked] = useState<Checked>({ state: 'checking' });
  // Whether the sign-in page is on screen: it stays there (busy) while its answer is checked.
  const [signingIn, setSigningIn] = useState(false);

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    if (!candidate) {
      setSigningIn(true);
      setChecked({ state: 'out' });
      return;
    }
    let current = true;
    setChecked({ state: 'checking' });
    whoAmI(candidate).then(
      (me) => {
        if (!current) return;
        // The tenant as the service resolved it (the default tenant when the link named none).
        const session = { ...candidate, tenant: me.tenant };
        sessionStorage.setItem(STORE, JSON.stringify(session));
        history.replaceState(null, '', pathOf(parseRoute(location.pathname), session.tenant));
        setSigningIn(false);
        setChecked({ state: 'in', session, me });
      },
      (error: ApiError) => {
        if (!current) return;
        sessionStorage.removeItem(STORE);
        // A key is needed and none was given yet: the sign-in page, with nothing wrong to say.
        const asked = error.status === 401 && !candidate.key;
        setSigningIn(true);
        setChecked({ state: 'out', problem: asked ? undefined : error.message });
      },
    );
    return () => {
      current = false;
    };
  }, [candidate]);

  if (checked.state === 'checking' && !signingIn) {
    return (
      <main class="sign-in" aria-busy="true">
        <p>Opening the console…</p>
      </main>
    );
  }
  if (checked.state !== 'in') {
    return (
      <SignIn
        busy={checked.state === 'checking'}
        problem={checked.state === 'out' ? checked.problem : undefined}
        tenant={candidate?.tenant}
        onSignIn={(next) => {
          history.replaceState(null, '', pathOf(route, next.tenant));
          setSigningIn(true);
          setCandidate(next);
        }}
      />
    );
  }

  const { session, me } = checked;
  const role = me.role;
  const navigate = (next: Route) => {
    history.pushState(null, '', pathOf(next, session.tenant));
    setRoute(next);
  };

  return (
    <div class="shell">
      <header class="top">
        <a
          class="brand"
          href={pathOf({ kind: 'home' }, session.tenant)}
          onClick={(event) => {
            event.preventDefault();
            navigate({ kind: 'home' });
          }}
        >
          Context Services
        </a>
        <Search onSearch={navigate} />
        <nav>
          <a
            href={pathOf({ kind: 'dashboard' }, session.tenant)}
            aria-current={route.kind === 'dashboard' ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate({ kind: 'dashboard' });
            }}
          >
            Dashboard
          </a>
          <a
            href={pathOf({ kind: 'active' }, session.tenant)}
            aria-current={route.kind === 'active' ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate({ kind: 'active' });
            }}
          >
            In flight
          </a>
        </nav>
        <span class="who" title={`GroupId ${session.group ?? '(none)'}`}>
          {session.tenant} · {role}
        </span>
        <button
          type="button"
          class="link"
          onClick={() => {
            sessionStorage.removeItem(STORE);
            setCandidate(undefined);
          }}
        >
          {me.access_control ? 'Sign out' : 'Change tenant'}
        </button>
      </header>
      <main>
        {route.kind === 'dashboard' && <DashboardView session={session} onNavigate={navigate} />}
        {route.kind === 'active' && (
          // A list of another type starts afresh: never the last type's rows under the new title.
          <WorkListView
            key={route.type ?? ''}
            session={session}
            type={route.type}
            onNavigate={navigate}
          />
        )}
        {(route.kind === 'customer' || route.kind === 'anonymous' || route.kind === 'service') && (
          <JourneyView session={session} role={role} route={route} onNavigate={navigate} />
        )}
        {route.kind === 'home' && (
          <section class="empty">
            <h1>Find a journey</h1>
            <p>
              Search for a customer id, an anonymous contact key or a service id above, or open the
              dashboard.
            </p>
          </section>
        )}
      </main>
    </div>
  );
}

function SignIn(props: {
  busy: boolean;
  problem?: string;
  tenant?: string;
  onSignIn: (session: Session) => void;
}) {
  const [tenant, setTenant] = useState(props.tenant ?? tenantInUrl() ?? '');
  const [group, setGroup] = useState('');
  const [key, setKey] = useState('');
  return (
    <main class="sign-in">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onSignIn({
            tenant: tenant.trim(),
            group: group.trim() || undefined,
            key: key || undefined,
          });
        }}
      >
        <h1>Context Services console</h1>
        <label>
          Tenant (ContactCenterId)
          <input
            required
            value={tenant}
            onInput={(e) => setTenant(e.currentTarget.value)}
            autoFocus
          />
        </label>
        <label>
          GroupId <span class="hint">optional</span>
          <input value={group} onInput={(e) => setGroup(e.currentTarget.value)} />
        </label>
        <label>
          API key <span class="hint">when access control is on</span>
          <input
            type="password"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            autoComplete="off"
          />
        </label>
        {props.problem && (
          <p class="error" role="alert">
            {props.problem}
          </p>
        )}
        <button type="submit" disabled={props.busy}>
          {props.busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="hint">Kept for this browser tab only.</p>
      </form>
    </main>
  );
}

function Search(props: { onSearch: (route: Route) => void }) {
  const [kind, setKind] = useState<'customer' | 'anonymous' | 'service'>('customer');
  const [text, setText] = useState('');
  return (
    <form
      class="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) props.onSearch({ kind, id: text.trim() });
      }}
    >
      <select
        aria-label="Search for"
        value={kind}
        onChange={(e) => setKind(e.currentTarget.value as typeof kind)}
      >
        <option value="customer">Customer id</option>
        <option value="anonymous">Contact key</option>
        <option value="service">Service id</option>
      </select>
      <input
        aria-label="Search"
        placeholder="Search"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <button type="submit">Go</button>
    </form>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { ApiError, Role, roleOf, Session } from './api';
import { DashboardView } from './dashboard/dashboard-view';
import { JourneyView } from './journey-view';
import { parseRoute, pathOf, Route } from './routes';

const STORE = 'cs-console-session';

/** The session lives in sessionStorage: it survives a reload, and ends with the browser tab. */
function storedSession(): Session | undefined {
  const raw = sessionStorage.getItem(STORE);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

function tenantInUrl(): string | undefined {
  return new URLSearchParams(location.search).get('tenant') ?? undefined;
}

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const [session, setSession] = useState<Session | undefined>(() => {
    const stored = storedSession();
    const tenant = tenantInUrl();
    return stored && (!tenant || tenant === stored.tenant) ? stored : undefined;
  });
  const [role, setRole] = useState<Role | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    if (!session) return;
    roleOf(session)
      .then((found) => {
        setRole(found);
        setProblem(undefined);
      })
      .catch((error: ApiError) => {
        setProblem(error.message);
        setRole(undefined);
        setSession(undefined);
        sessionStorage.removeItem(STORE);
      });
  }, [session]);

  const navigate = (next: Route) => {
    history.pushState(null, '', pathOf(next, session?.tenant));
    setRoute(next);
  };

  if (!session || !role) {
    return (
      <SignIn
        busy={!!session && !role && !problem}
        problem={problem}
        onSignIn={(next) => {
          sessionStorage.setItem(STORE, JSON.stringify(next));
          history.replaceState(null, '', pathOf(route, next.tenant));
          setProblem(undefined);
          setSession(next);
        }}
      />
    );
  }

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
        </nav>
        <span class="who" title={`GroupId ${session.group ?? '(none)'}`}>
          {session.tenant} · {role}
        </span>
        <button
          type="button"
          class="link"
          onClick={() => {
            sessionStorage.removeItem(STORE);
            setSession(undefined);
            setRole(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {route.kind === 'dashboard' && <DashboardView session={session} />}
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

function SignIn(props: { busy: boolean; problem?: string; onSignIn: (session: Session) => void }) {
  const [tenant, setTenant] = useState(tenantInUrl() ?? '');
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

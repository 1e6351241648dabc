/** The console's deep links (`/console/…`), each with an optional `?tenant=`. */
export type Route =
  | { kind: 'customer'; id: string }
  | { kind: 'anonymous'; id: string }
  | { kind: 'service'; id: string }
  | { kind: 'dashboard' }
  | { kind: 'active'; type?: string }
  | { kind: 'home' };

export const BASE = '/console';

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .replace(/^\/console\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  const [section, id] = parts;
  if (section === 'customers' && id) return { kind: 'customer', id };
  if (section === 'anonymous' && id) return { kind: 'anonymous', id };
  if (section === 'services' && id) return { kind: 'service', id };
  if (section === 'dashboard') return { kind: 'dashboard' };
  if (section === 'active')
    return id === undefined ? { kind: 'active' } : { kind: 'active', type: id };
  return { kind: 'home' };
}

export function pathOf(route: Route, tenant?: string): string {
  const query = tenant ? `?tenant=${encodeURIComponent(tenant)}` : '';
  switch (route.kind) {
    case 'customer':
      return `${BASE}/customers/${encodeURIComponent(route.id)}${query}`;
    case 'anonymous':
      return `${BASE}/anonymous/${encodeURIComponent(route.id)}${query}`;
    case 'service':
      return `${BASE}/services/${encodeURIComponent(route.id)}${query}`;
    case 'dashboard':
      return `${BASE}/dashboard${query}`;
    case 'active':
      return `${BASE}/active${route.type === undefined ? '' : `/${encodeURIComponent(route.type)}`}${query}`;
    default:
      return `${BASE}/${query}`;
  }
}

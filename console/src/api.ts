/** The console's one way to the service: the public REST API, as any client calls it. */

export const API = '/genesys/1/cs';

export interface Session {
  /** `ContactCenterId`: the tenant, by DBID or name. */
  tenant: string;
  /** `GroupId`, optional. */
  group?: string;
  /** An API key when access control is on. */
  key?: string;
}

/** What the key may do: the roles of the API (docs/API.md §6.2). */
export type Role = 'reader' | 'writer' | 'admin';

/** An answer other than 2xx, with the error envelope's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function headers(session: Session, body: boolean): Record<string, string> {
  return {
    ContactCenterId: session.tenant,
    ...(session.group ? { GroupId: session.group } : {}),
    ...(session.key ? { Authorization: `Bearer ${session.key}` } : {}),
    ...(body ? { 'Content-Type': 'application/json' } : {}),
  };
}

export async function call<T>(
  session: Session,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers: headers(session, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'the service cannot be reached');
  }
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const message = (json as { message?: string } | undefined)?.message ?? response.statusText;
    throw new ApiError(response.status, message);
  }
  return json as T;
}

/**
 * The key's role, learnt without changing anything: access control runs before validation, so a write
 * with an invalid body answers 403 when the role is too low and 400 (nothing stored) when it is enough.
 * Without access control every request is allowed: admin.
 */
export async function roleOf(session: Session): Promise<Role> {
  await call(session, 'GET', '/stats/services?bucket=1h');
  const allowed = async (path: string) => {
    try {
      await call(session, 'POST', path, []);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) return true;
      if (error instanceof ApiError && error.status === 403) return false;
      throw error;
    }
  };
  if (!(await allowed('/services/start'))) return 'reader';
  return (await allowed('/maintenance/purge')) ? 'admin' : 'writer';
}

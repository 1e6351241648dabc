/** The console's one way to the service: the public REST API, as any client calls it. */

import { API_BASE_PATH } from '../../src/http/api-base-path';

export interface Session {
  /** `ContactCenterId`: the tenant, by DBID or name; without it the service's default tenant. */
  tenant?: string;
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
    ...(session.tenant ? { ContactCenterId: session.tenant } : {}),
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
    response = await fetch(`${API_BASE_PATH}${path}`, {
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

/** `GET /access/me`: what the service made of the session (docs/API.md §6.2). */
export interface Me {
  tenant: string;
  group_id?: string;
  role: Role;
  principal: { kind: 'anonymous' | 'api_key'; name?: string };
  access_control: boolean;
  tenants: string[] | null;
}

/** Who the session is, asked without changing anything; with access control off, nobody needs a key. */
export function whoAmI(session: Session): Promise<Me> {
  return call<Me>(session, 'GET', '/access/me');
}

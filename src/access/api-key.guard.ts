import {
  CanActivate,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest as Request } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiKeyEntry, Role, ROLES } from '../config/api-keys';
import { AppConfig, appConfig } from '../config/app-config';
import { ApiException } from '../errors/api-exceptions';
import { PUBLIC, REQUIRED_ROLE } from './access.decorators';

const PRINCIPAL = Symbol('principal');
type WithPrincipal = Request & { [PRINCIPAL]?: ApiKeyEntry };

/** The API key a request was authenticated with, if access control is on. */
export function principalOf(request: Request): ApiKeyEntry | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}

interface Credentials {
  key: string;
  /** The key's name, when the client sent one (HTTP Basic: name as the user, key as the password). */
  name?: string;
}

function presentedCredentials(request: Request): Credentials | undefined {
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return { key: bearer };
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { name: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? { key: header } : undefined;
}

function defaultRole(method: string): Role {
  if (method === 'GET' || method === 'HEAD') return 'reader';
  return method === 'DELETE' ? 'admin' : 'writer';
}

/**
 * Access control by API key (`Authorization: Bearer <key>`, HTTP Basic with the key's name and the key, as
 * GMS clients authenticate, or `X-API-Key`): 401 without a known key, 403
 * when the key's role is below the operation's. Only SHA-256 digests of keys are configured, and they are
 * compared in constant time. With no keys configured, access control is off.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('Access');
  private readonly keys: ApiKeyEntry[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.keys = config.apiKeys;
  }

  onModuleInit(): void {
    if (this.keys.length === 0)
      this.logger.warn('API_KEYS is not set: access control is OFF, every caller is admin');
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.keys.length === 0 || this.reflector.getAllAndOverride<boolean>(PUBLIC, targets))
      return true;
    const request = context.switchToHttp().getRequest<Request>();
    const credentials = presentedCredentials(request);
    if (!credentials) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        'an API key is required (Authorization: Bearer <key>, Basic <name:key> or X-API-Key)',
      );
    }
    const entry = this.find(credentials);
    if (!entry) throw new ApiException(HttpStatus.UNAUTHORIZED, 'unknown API key');
    const required =
      this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? defaultRole(request.method);
    if (ROLES.indexOf(entry.role) < ROLES.indexOf(required)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        `API key "${entry.name}" has role ${entry.role}; this operation needs ${required}`,
      );
    }
    (request as WithPrincipal)[PRINCIPAL] = entry;
    return true;
  }

  /**
   * Compares against every configured key, so the time taken does not tell which one nearly matched; a
   * name sent with the key (Basic) must be that key's.
   */
  private find({ key, name }: Credentials): ApiKeyEntry | undefined {
    const digest = createHash('sha256').update(key).digest();
    let found: ApiKeyEntry | undefined;
    for (const entry of this.keys) {
      if (timingSafeEqual(entry.sha256, digest)) found = entry;
    }
    return name === undefined || found?.name === name ? found : undefined;
  }
}

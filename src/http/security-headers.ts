import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * helmet's headers (nosniff, no framing by other origins, referrer policy, a content security policy that
 * Swagger UI's and the console's own scripts and styles satisfy), fitted to the transport the client used:
 * `Strict-Transport-Security` and the CSP's `upgrade-insecure-requests` only over HTTPS. Sent over plain
 * HTTP, either would send a browser on another machine to an `https://` that nothing serves there (a blank
 * console, a blank Swagger UI); browsers exempt loopback, which hid it.
 */
function headersFor(https: boolean): Middleware {
  return helmet({
    strictTransportSecurity: https,
    contentSecurityPolicy: https ? true : { directives: { upgradeInsecureRequests: null } },
  });
}

/**
 * Every answer gets the headers of its transport. `request.protocol` is the socket's, or, from a peer in
 * TRUST_PROXY, what the proxy reports in `X-Forwarded-Proto`. The two header sets are built once, not per
 * request.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const plain = headersFor(false);
  const secure = headersFor(true);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) =>
    (request.protocol === 'https' ? secure : plain)(request.raw, reply.raw, done),
  );
}

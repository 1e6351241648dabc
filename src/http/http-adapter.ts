import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment, type ErrorStyle } from '../config/environment';
import { parseTrustProxy } from '../config/trust-proxy';
import { ApiException } from '../errors/api-exceptions';
import { toErrorEnvelope } from '../errors/error-envelope';

import { chooseRequestId } from '../logging/request-id';
import { readTlsCredentials } from './tls';

/** Longer than any key the API accepts, so that an over-long path parameter meets validation, not the router. */
const MAX_PARAM_LENGTH = 4096;
/**
 * How often Node checks its header and request timeouts: its default, 30 s, let trickled headers hold a
 * socket up to 30 s past HTTP_HEADERS_TIMEOUT_MS. Half a second keeps every timeout within a second of itself.
 */
const TIMEOUT_CHECK_MS = 500;

/**
 * A URL the router cannot even decode (a broken %-escape) or a parameter past MAX_PARAM_LENGTH: Fastify
 * answers these before any hook runs, so they get the envelope (and the request id) here.
 */
const frameworkError =
  (style: ErrorStyle) =>
  (error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    const tooLong = (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH';
    const refusal = tooLong
      ? new ApiException(414, 'a path parameter is longer than the API accepts')
      : new ApiException(400, 'the request path is not a valid URL (broken %-escape)');
    void reply
      .status(refusal.getStatus())
      .header('X-Request-Id', request.id)
      .send(toErrorEnvelope(refusal, request.id, style));
  };

/** The settings the HTTP server is built with, before the application (and its configuration) exists. */
export type HttpServerSettings = Pick<
  Environment,
  'TRUST_PROXY' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'ERROR_STYLE'
>;

/**
 * The HTTP server under Nest: Fastify, whose routing and replies cost about half of Express's per request.
 * Routing matches paths as Express did for 8.5 clients: case-insensitively, with or without a trailing
 * slash. The request id is chosen once, here (see `chooseRequestId`). HTTPS when TLS_CERT_FILE and
 * TLS_KEY_FILE are set (a file that does not check out throws, naming its variable); `X-Forwarded-*`
 * believed from the TRUST_PROXY peers alone.
 */
export function createHttpAdapter(settings: HttpServerSettings): FastifyAdapter {
  const tls = readTlsCredentials(settings);
  return new FastifyAdapter({
    ...(tls
      ? { https: { ...tls, connectionsCheckingInterval: TIMEOUT_CHECK_MS } }
      : { http: { connectionsCheckingInterval: TIMEOUT_CHECK_MS } }),
    trustProxy: settings.TRUST_PROXY ? parseTrustProxy(settings.TRUST_PROXY) : false,
    genReqId: chooseRequestId,
    frameworkErrors: frameworkError(settings.ERROR_STYLE),
    routerOptions: {
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
  });
}

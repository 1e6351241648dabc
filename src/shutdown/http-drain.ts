import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig, appConfig } from '../config/app-config';

/** How often idle keep-alive connections are closed while draining. */
const IDLE_SWEEP_MS = 50;

/**
 * Graceful shutdown's first step. Nest would close the database (onApplicationShutdown) before the HTTP
 * server, failing the requests still running; this stops accepting connections and lets the requests in
 * flight finish first, waiting at most SHUTDOWN_TIMEOUT_MS before cutting their connections.
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly timeoutMs: number;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.timeoutMs = config.SHUTDOWN_TIMEOUT_MS;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    this.logger.log(`no longer accepting connections; draining requests in flight`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // server.close() waits for keep-alive connections too: close each as soon as its request is done.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = new AbortController();
    try {
      const outcome = await Promise.race([
        closed.then(() => 'drained' as const),
        sleep(this.timeoutMs, 'timeout' as const, { signal: deadline.signal }),
      ]);
      if (outcome === 'timeout') {
        this.logger.warn(`requests still running after ${this.timeoutMs} ms; closing them`);
        server.closeAllConnections();
        await closed;
      }
    } finally {
      clearInterval(sweep);
      deadline.abort();
    }
    this.logger.log('HTTP server closed');
  }
}

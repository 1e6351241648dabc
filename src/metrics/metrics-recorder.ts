import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { TransactionRunner } from '../database/transaction-runner';

export type ObjectKind = 'service' | 'state' | 'task';

/** What composite start answered for one event: each object's `created` flag ("true" / "false"). */
export type CompositeOutcome = Partial<Record<ObjectKind, { created: string }>>;

/**
 * Every metric the application records itself, defined in one place. The code being measured calls these
 * methods and knows nothing of Prometheus.
 */
@Injectable()
export class MetricsRecorder {
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly compositeEvents: Counter;
  private readonly compositeObjects: Counter<'kind' | 'outcome'>;
  private readonly transactionRetries: Counter<'reason'>;

  constructor(registry: Registry, transactions: TransactionRunner) {
    const registers = [registry];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status (its _count is the number of requests)',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.compositeEvents = new Counter({
      name: 'cs_composite_events_total',
      help: 'Composite start events committed',
      registers,
    });
    this.compositeObjects = new Counter({
      name: 'cs_composite_objects_total',
      help: 'Services, states and tasks that composite start created or found',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.transactionRetries = new Counter({
      name: 'cs_transaction_retries_total',
      help: 'Transactions run again after losing a lock race',
      labelNames: ['reason'],
      registers,
    });
    transactions.onRetry((reason) => this.transactionRetries.inc({ reason }));
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** Called once a composite start has committed, with its results. */
  compositeStarted(results: CompositeOutcome[]): void {
    this.compositeEvents.inc(results.length);
    for (const result of results) {
      for (const kind of ['service', 'state', 'task'] as const) {
        const object = result[kind];
        if (!object) continue;
        const outcome = object.created === 'true' ? 'created' : 'found';
        this.compositeObjects.inc({ kind, outcome });
      }
    }
  }
}

/**
 * The load process: `bench/run.ts` forks it for every measured run so that the load generator never shares
 * a CPU thread with the process that supervises the service. It receives one LoadJob, reports progress every
 * second and answers with a Measurement.
 */
import autocannon from 'autocannon';
import { runFloor } from './lib/floor';
import { runImport } from './lib/import-load';
import { LoadJob, LoadMessage, Measurement } from './lib/measurement';
import {
  COMPOSITE_PATH,
  KeySource,
  compositeBody,
  mixedKeys,
  newKeys,
  serviceReadPath,
} from './lib/workload';

function send(message: LoadMessage): void {
  process.send!(message);
}

function keysOf(job: {
  keyPrefix: string;
  existingShare: number;
  existingCount: number;
}): KeySource {
  return job.existingShare > 0
    ? mixedKeys(job.keyPrefix, job.existingShare, job.existingCount)
    : newKeys(job.keyPrefix);
}

function httpRequest(job: Extract<LoadJob, { kind: 'http' }>): autocannon.Request {
  if (job.path) return { method: 'GET', path: job.path };
  if (job.events === 0) {
    const ids = job.serviceIds;
    return {
      method: 'GET',
      setupRequest: (request) => ({
        ...request,
        path: serviceReadPath(ids[Math.floor(Math.random() * ids.length)]),
      }),
    };
  }
  const keys = keysOf(job);
  return {
    method: 'POST',
    path: COMPOSITE_PATH,
    headers: { 'content-type': 'application/json' },
    setupRequest: (request) => ({ ...request, body: compositeBody(keys, job.events) }),
  };
}

function autocannonRun(
  options: autocannon.Options,
  onResponse?: () => void,
): Promise<autocannon.Result> {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: Error | null, result) =>
      error ? reject(error) : resolve(result),
    );
    if (onResponse) instance.on('response', onResponse);
  });
}

const statusesOf = (result: autocannon.Result) =>
  Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]),
  );

async function runHttp(job: Extract<LoadJob, { kind: 'http' }>): Promise<Measurement> {
  let responses = 0;
  const ticker = setInterval(() => send({ type: 'tick', requests: responses }), 1000);
  const beside = job.beside
    ? autocannonRun({
        url: job.url,
        connections: job.beside.connections,
        duration: job.seconds,
        requests: [{ method: 'GET', path: job.beside.path }],
      })
    : undefined;
  const [result, besideResult] = await Promise.all([
    autocannonRun(
      {
        url: job.url,
        connections: job.connections,
        duration: job.seconds,
        requests: [httpRequest(job)],
      },
      () => responses++,
    ),
    beside,
  ]).finally(() => clearInterval(ticker));
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses: statusesOf(result),
    ...(besideResult && {
      beside: {
        requests: besideResult.requests.total,
        seconds: besideResult.duration,
        p99_ms: besideResult.latency.p99,
        statuses: statusesOf(besideResult),
      },
    }),
  };
}

process.on('message', (job: LoadJob) => {
  const tick = (requests: number) => send({ type: 'tick', requests });
  const run =
    job.kind === 'http'
      ? runHttp(job)
      : job.kind === 'import'
        ? runImport(job.url, job.connections, job.seconds, job.keyPrefix, tick)
        : runFloor(job.databaseUrl, job.connections, job.seconds, keysOf(job), tick);
  run.then(
    (measurement) => send({ type: 'done', measurement }),
    (error: unknown) =>
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});

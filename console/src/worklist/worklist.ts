import type { ApiService } from '../journey';

/** One row of the work list: an active service, how long it has run, and whether past its estimate. */
export interface WorkItem {
  serviceId: number;
  type: string;
  /** The customer, or the contact key of an anonymous service. */
  who: { customer: string } | { contactKey: string } | undefined;
  startedAt: number;
  runningMs: number;
  estimateMs?: number;
  overEstimate: boolean;
  /** The latest active state's type: where the journey is now. */
  at?: string;
}

/** Rows read per "show more": a screenful, well under the API's page limit of 1000. */
export const PAGE = 50;
/** The API's largest page: the list shows at most this many, the oldest first. */
export const MOST = 1000;

export function workItems(services: ApiService[], now: number): WorkItem[] {
  return services.map((service) => {
    const startedAt = Date.parse(service.started.timestamp);
    const runningMs = Math.max(0, now - startedAt);
    const estimateMs = service.est_duration === undefined ? undefined : service.est_duration * 1000;
    const latest = [...(service.active_states ?? [])].sort(
      (a, b) => Date.parse(b.started.timestamp) - Date.parse(a.started.timestamp),
    )[0];
    return {
      serviceId: service.service_id,
      type: service.service_type ?? '',
      who: service.customer_id
        ? { customer: service.customer_id }
        : service.contact_key
          ? { contactKey: service.contact_key }
          : undefined,
      startedAt,
      runningMs,
      estimateMs,
      overEstimate: estimateMs !== undefined && runningMs > estimateMs,
      at: latest?.state_type,
    };
  });
}

/** The API path of the first `count` active services, oldest first, of a type or of all. */
export function workListPath(count: number, type?: string): string {
  const query = new URLSearchParams({
    status: 'active',
    active_states: 'true',
    limit: String(Math.min(count, MOST)),
  });
  if (type) query.set('service_types', type);
  return `/services?${query.toString()}`;
}

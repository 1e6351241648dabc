/**
 * What the scenarios send, shared by the HTTP load (through the service) and the floor (straight to the
 * database), so both do the same work: one composite event makes one service with an extension, one state
 * with an extension and one task in that state.
 */

export const TENANT = 'default';
export const SERVICE_TYPE = 'BenchService';
export const STATE_TYPE = 'Identification';
export const TASK_TYPE = 'VerifyIdentity';
export const MEDIA_TYPE = 'voice';
export const SERVICE_EXTENSIONS = {
  RelatedOffersService: [{ offer_name: 'life insurance', type: 3 }],
};
export const STATE_EXTENSIONS = { FeedbackState: { rating: 7, comment: 'quick answer' } };

/** Customers whose service, state and task are created before the "existing keys" scenarios run. */
export const existingCustomer = (index: number) => `bench-existing-${index}`;

export interface KeySource {
  /** The customer of the next event. */
  next(): string;
}

/**
 * Customers never used before: `prefix` is unique to one scenario run of one process, so reruns on a kept
 * database never collide with earlier runs.
 */
export function newKeys(prefix: string): KeySource {
  let counter = 0;
  return { next: () => `${prefix}-${(counter++).toString(36)}` };
}

/** A share `existingShare` of events names one of `existingCount` prepared customers; the rest are new. */
export function mixedKeys(prefix: string, existingShare: number, existingCount: number): KeySource {
  const fresh = newKeys(prefix);
  return {
    next: () =>
      Math.random() < existingShare
        ? existingCustomer(Math.floor(Math.random() * existingCount))
        : fresh.next(),
  };
}

export function compositeEvent(customer: string) {
  return {
    service: {
      customer_id: customer,
      service_type: SERVICE_TYPE,
      media_type: MEDIA_TYPE,
      ...SERVICE_EXTENSIONS,
    },
    state: { state_type: STATE_TYPE, ...STATE_EXTENSIONS },
    task: { task_type: TASK_TYPE },
    associate_state_task: true,
  };
}

export function compositeBody(keys: KeySource, events: number): string {
  return JSON.stringify({
    services: Array.from({ length: events }, () => compositeEvent(keys.next())),
  });
}

export const COMPOSITE_PATH = '/genesys/1/cs/services_composite/start';
export const serviceReadPath = (id: number) =>
  `/genesys/1/cs/services/${id}?active_states=true&active_tasks=true&extensions=*`;

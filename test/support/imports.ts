import type { ResourceApi } from './resource-api';
import { uniqueId } from './test-app';

const EPOCH = '1970-01-01T00:00:00.000Z';

/** The tenant's services as the stream export writes them (text: numbers keep their digits). */
export async function exported(tenant: ResourceApi): Promise<string> {
  const response = await tenant
    .get(`/maintenance/services/stream?time_from=${EPOCH}&export_content=true`)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    })
    .expect(200);
  return response.body as string;
}

/** Export text with every id replaced by its order of appearance, so that two tenants' exports compare. */
export function withoutIds(text: string): string {
  const order = new Map<string, number>();
  return text.replace(
    /"(service_id|state_id|task_id|previous_state_id)":(\d+)/g,
    (_all, name: string, id: string) => {
      const key = `${name === 'previous_state_id' ? 'state_id' : name}:${id}`;
      if (!order.has(key)) order.set(key, order.size + 1);
      return `"${name}":"#${order.get(key)}"`;
    },
  );
}

/**
 * Three services with what an export holds: completed and active levels, a previous state, tasks in a
 * state and of the service, event fields, extensions with numbers a double would alter.
 */
export async function journeys(tenant: ResourceApi): Promise<void> {
  const customer = uniqueId('cust');
  const started = await tenant
    .raw(
      'post',
      '/services/start',
      `{"service_type":"Sales","customer_id":"${customer}","interaction_id":42,"media_type":"voice",` +
        '"est_duration":60,"Offer":{"id":12345678901234567890,"price":1.50,"note":"a, \\"b\\"\\nc"}}',
    )
    .expect(201);
  const service = (started.body as { service_id: number }).service_id;
  const first = await tenant.startState(service, { state_type: 'Identify', Form: { a: 1 } });
  const second = await tenant.startState(service, {
    state_type: 'Qualify',
    previous_state_id: first,
  });
  await tenant.startTask(service, { task_type: 'Callback', state_id: second, Note: 'x' });
  await tenant.startTask(service, { task_type: 'Survey' });
  await tenant
    .post(`/services/${service}/states/${first}/end`, { disposition: 'ok', session_id: 's-1' })
    .expect(204);
  const done = await tenant.startService({ customer_id: customer, service_type: 'Billing' });
  await tenant.post(`/services/${done}/end`, { disposition: 'Done', resource_id: 7 }).expect(204);
  await tenant.startService({ contact_key: `+33-${customer}`, customer_id: undefined });
}

import { ApiService, extentOf, filterLanes, toLanes } from './journey';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();
const ms = (minute: number) => Date.UTC(2026, 11, 1, 9, minute);

const services: ApiService[] = [
  {
    service_id: 2,
    service_type: 'Support',
    customer_id: 'c',
    started: { timestamp: at(30), media_type: 'chat' },
    active_states: [{ state_id: 5, state_type: 'Queue', started: { timestamp: at(31) } }],
    active_tasks: [],
    completed_states: [],
    completed_tasks: [],
  },
  {
    service_id: 1,
    service_type: 'Sales',
    customer_id: 'c',
    disposition: 'Resolved',
    started: { timestamp: at(0), media_type: 'voice' },
    completed: { timestamp: at(20) },
    duration: 1_200_000,
    Offer: { product: 'fibre' },
    completed_states: [
      {
        state_id: 4,
        state_type: 'Agent',
        started: { timestamp: at(10) },
        completed: { timestamp: at(20) },
        Feedback: { rating: 5 },
      },
      {
        state_id: 3,
        state_type: 'IVR',
        started: { timestamp: at(1) },
        completed: { timestamp: at(10) },
      },
    ],
    completed_tasks: [
      {
        task_id: 7,
        task_type: 'Verify',
        state_id: 3,
        started: { timestamp: at(2) },
        completed: { timestamp: at(3) },
      },
    ],
  },
];

describe('toLanes', () => {
  it('gives a lane per service, oldest first, its states as segments and its tasks as marks in time order', () => {
    const lanes = toLanes(services);
    expect(lanes.map((lane) => lane.service.id)).toEqual([1, 2]);
    const [sales, support] = lanes;
    expect(sales.service).toMatchObject({
      kind: 'service',
      type: 'Sales',
      start: ms(0),
      end: ms(20),
      active: false,
      media: 'voice',
      disposition: 'Resolved',
      extensions: { Offer: { product: 'fibre' } },
    });
    expect(sales.service.fields).not.toHaveProperty('completed_states');
    expect(sales.states.map((s) => [s.id, s.type, s.start, s.end])).toEqual([
      [3, 'IVR', ms(1), ms(10)],
      [4, 'Agent', ms(10), ms(20)],
    ]);
    expect(sales.states[1].extensions).toEqual({ Feedback: { rating: 5 } });
    expect(sales.tasks.map((t) => [t.id, t.start])).toEqual([[7, ms(2)]]);
    expect(support.service).toMatchObject({ active: true, end: undefined, media: 'chat' });
    expect(support.states[0]).toMatchObject({ id: 5, active: true });
  });
});

describe('filterLanes and extentOf', () => {
  const lanes = toLanes(services);
  const now = ms(40);

  it('filters by type, status and overlap with a date range', () => {
    const ids = (filtered: typeof lanes) => filtered.map((lane) => lane.service.id);
    expect(ids(filterLanes(lanes, { status: 'all', serviceType: 'Sales' }, now))).toEqual([1]);
    expect(ids(filterLanes(lanes, { status: 'active' }, now))).toEqual([2]);
    expect(ids(filterLanes(lanes, { status: 'completed' }, now))).toEqual([1]);
    expect(ids(filterLanes(lanes, { status: 'all', from: ms(25) }, now))).toEqual([2]);
    expect(ids(filterLanes(lanes, { status: 'all', to: ms(25) }, now))).toEqual([1]);
  });

  it('spans every object up to now when something is active, with a margin', () => {
    const [from, to] = extentOf(lanes, now);
    expect(from).toBeLessThan(ms(0));
    expect(to).toBeGreaterThan(now);
  });
});

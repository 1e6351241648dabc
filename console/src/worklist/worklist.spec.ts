import type { ApiService } from '../journey';
import { MOST, workItems, workListPath } from './worklist';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 10, minutes)).toISOString();
const now = Date.parse(at(30));

describe('the work list', () => {
  it('says how long each active service has run, whether past its estimate, and where it is', () => {
    const services: ApiService[] = [
      {
        service_id: 1,
        service_type: 'Sales',
        customer_id: 'c-1',
        est_duration: 600,
        started: { timestamp: at(0) },
        active_states: [
          { state_id: 2, state_type: 'Identify', started: { timestamp: at(1) } },
          { state_id: 3, state_type: 'Queue', started: { timestamp: at(5) } },
        ],
      },
      { service_id: 4, contact_key: '+33', est_duration: 3600, started: { timestamp: at(20) } },
      { service_id: 5, started: { timestamp: at(29) } },
    ];
    expect(workItems(services, now)).toEqual([
      {
        serviceId: 1,
        type: 'Sales',
        who: { customer: 'c-1' },
        startedAt: Date.parse(at(0)),
        runningMs: 30 * 60_000,
        estimateMs: 600_000,
        overEstimate: true,
        at: 'Queue',
      },
      expect.objectContaining({ serviceId: 4, who: { contactKey: '+33' }, overEstimate: false }),
      expect.objectContaining({ serviceId: 5, who: undefined, overEstimate: false, at: undefined }),
    ]);
  });

  it('asks the API for the active services, oldest first, of a type, within its page limit', () => {
    expect(workListPath(50)).toBe('/services?status=active&active_states=true&limit=50');
    expect(workListPath(5000, 'Sales & Co')).toBe(
      `/services?status=active&active_states=true&limit=${MOST}&service_types=Sales+%26+Co`,
    );
  });
});

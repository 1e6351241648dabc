import { parse } from 'csv-parse/sync';
import { parseJson } from '../json/exact-json';
import { CSV_COLUMNS, EXPORT_FILE_FORMATS } from './export-formats';

const csv = EXPORT_FILE_FORMATS.csv;

/** One CSV row of a task line, as a map of its columns. */
function taskRow(line: Record<string, unknown>): Record<string, string> {
  const [cells] = parse(csv.line('tasks', line));
  return Object.fromEntries(CSV_COLUMNS.tasks.map((column, i) => [column, cells[i]]));
}

describe('export file formats', () => {
  it('writes a CSV header of the level columns, extensions last', () => {
    const [header] = parse(csv.head('states'));
    expect(header).toEqual([...CSV_COLUMNS.states]);
    expect(header.at(-1)).toBe('extensions');
  });

  it('spreads the event records over their columns and gathers extensions as exact JSON', () => {
    const line = parseJson(
      '{"service_id":7,"task_id":9,"task_type":"Callback","est_duration":60,' +
        '"started":{"timestamp":"2026-12-01T20:45:12.345Z","interaction_id":"42","resource_id":3},' +
        '"Offer":{"id":12345678901234567890,"note":"a, \\"b\\"\\nc"},"Flag":true}',
    ) as Record<string, unknown>;
    const row = taskRow(line);
    expect(row).toMatchObject({
      service_id: '7',
      task_id: '9',
      task_type: 'Callback',
      est_duration: '60',
      started_timestamp: '2026-12-01T20:45:12.345Z',
      started_interaction_id: '42',
      started_resource_id: '3',
      completed_timestamp: '',
      state_id: '',
    });
    expect(row.extensions).toBe(
      '{"Offer":{"id":12345678901234567890,"note":"a, \\"b\\"\\nc"},"Flag":true}',
    );
  });

  it('leaves the extensions cell empty without extensions, and ignores nested lists', () => {
    const row = taskRow({ service_id: 1, task_id: 2, active_tasks: [], completed_tasks: [] });
    expect(row.extensions).toBe('');
  });

  it('writes JSON Lines with no header', () => {
    expect(EXPORT_FILE_FORMATS.json.head('services')).toBe('');
    expect(EXPORT_FILE_FORMATS.json.line('services', { service_id: 1 })).toBe('{"service_id":1}\n');
  });
});

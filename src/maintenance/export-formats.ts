import { stringify } from 'csv-stringify/sync';
import { stringifyJson } from '../json/exact-json';

export const EXPORT_KINDS = ['services', 'states', 'tasks'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The fields of a start or completion record (docs/API.md §2.6), each a column under `started_`/`completed_`. */
const EVENT_FIELDS = [
  'timestamp',
  'session_id',
  'interaction_id',
  'application_type',
  'application_id',
  'resource_type',
  'resource_id',
  'media_type',
] as const;

const RECORDS = ['started', 'completed'] as const;

const SHARED = [
  'est_duration',
  'duration',
  'disposition',
  'disposition_desc',
  ...RECORDS.flatMap((record) => EVENT_FIELDS.map((field) => `${record}_${field}`)),
];

/** The columns of each file, in order: the level's own fields, the shared ones, then all extensions. */
export const CSV_COLUMNS: Record<ExportKind, readonly string[]> = {
  services: [
    'service_id',
    'service_type',
    'customer_id',
    'contact_key',
    'expiration_time',
    ...SHARED,
    'extensions',
  ],
  states: ['service_id', 'state_id', 'state_type', 'previous_state_id', ...SHARED, 'extensions'],
  tasks: ['service_id', 'task_id', 'task_type', 'state_id', ...SHARED, 'extensions'],
};

/** Keys of an exported object that are not extensions (and have no column of their own). */
const NOT_EXTENSIONS = new Set([
  ...RECORDS,
  'active_states',
  'completed_states',
  'active_tasks',
  'completed_tasks',
  'more_states',
  'more_tasks',
]);

/** A scalar as its text; anything else (an exact number, never a column's own object) as JSON. */
const cell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return value.toString();
  }
  return stringifyJson(value);
};

function csvHeader(kind: ExportKind): string {
  return stringify([CSV_COLUMNS[kind]], { eof: true });
}

/**
 * One exported object as a CSV row of its file's columns (RFC 4180 quoting): absent fields are empty cells,
 * the start and completion records spread over their columns, and every extension together in the
 * `extensions` column as one JSON object (empty when there is none), numbers with their digits.
 */
function csvRow(kind: ExportKind, line: Record<string, unknown>): string {
  const columns = CSV_COLUMNS[kind];
  const own = new Set(columns);
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) {
    if (!own.has(key) && !NOT_EXTENSIONS.has(key)) extensions[key] = value;
  }
  const row = columns.map((column) => {
    if (column === 'extensions') {
      return Object.keys(extensions).length > 0 ? stringifyJson(extensions) : '';
    }
    const record = RECORDS.find((name) => column.startsWith(`${name}_`));
    if (record) {
      const values = line[record] as Record<string, unknown> | undefined;
      return cell(values?.[column.slice(record.length + 1)]);
    }
    return cell(line[column]);
  });
  return stringify([row], { eof: true });
}

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How an export file of a format is written: its name's extension, what opens it, and each object's text. */
export interface ExportFileFormat {
  extension: string;
  head(kind: ExportKind): string;
  line(kind: ExportKind, object: Record<string, unknown>): string;
}

export const EXPORT_FILE_FORMATS: Record<ExportFormat, ExportFileFormat> = {
  // JSON Lines under Genesys's .json name: one object a line, nothing before the first.
  json: {
    extension: 'json',
    head: () => '',
    line: (_kind, object) => `${stringifyJson(object)}\n`,
  },
  csv: { extension: 'csv', head: csvHeader, line: csvRow },
};

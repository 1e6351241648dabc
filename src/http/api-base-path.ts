/** Every Context Services route lives under this path (docs/API.md §1). */
export const API_BASE_PATH = '/genesys/1/cs';

/** The absolute path of a resource, as sent in `Location` headers. */
export function resourcePath(...segments: (string | number)[]): string {
  return [API_BASE_PATH, ...segments].join('/');
}

/**
 * Routes whose body is handed over unread, as it arrives (json-body's `StreamedBody`): the import of a
 * whole history, bounded by IMPORT_MAX_BYTES rather than BODY_LIMIT.
 */
export const IMPORT_PATH = 'maintenance/services/import';
export const STREAMED_BODY_ROUTES: ReadonlySet<string> = new Set([
  `${API_BASE_PATH}/${IMPORT_PATH}`,
]);

/** Every Context Services route lives under this path (docs/API.md §1). */
export const API_BASE_PATH = '/genesys/1/cs';

/** The absolute path of a resource, as sent in `Location` headers. */
export function resourcePath(...segments: (string | number)[]): string {
  return [API_BASE_PATH, ...segments].join('/');
}

import { validateEnvironment } from './environment';
import { parseApiKeys } from './api-keys';

const DIGEST = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

describe('API_KEYS', () => {
  it('binds a key to tenants with spaces, non-ASCII letters, colons and escaped separators', () => {
    const [key] = parseApiKeys(
      `ivr:writer:${DIGEST}:Contact Center Nord|Zürich\\, Süd|eu:west|a\\|b`,
    );
    expect(key).toMatchObject({ name: 'ivr', role: 'writer' });
    expect([...key.tenants!]).toEqual(['Contact Center Nord', 'Zürich, Süd', 'eu:west', 'a|b']);
  });

  it('keeps a key without tenants for every tenant', () => {
    expect(parseApiKeys(`ops:ADMIN:${DIGEST}`)).toEqual([
      { name: 'ops', role: 'admin', sha256: Buffer.from(DIGEST, 'hex'), tenants: undefined },
    ]);
  });

  it.each([
    [`ivr:writer:${DIGEST},ops:boss:${OTHER}`, 'API_KEYS entry 2 of 2 ("ops")'],
    [`ivr:writer:${DIGEST.slice(2)}`, 'API_KEYS entry 1 of 1 ("ivr")'],
    [`bad name:writer:${DIGEST}`, 'API_KEYS entry 1 of 1 must be'],
    [`ivr:writer:${DIGEST}: lead`, 'entry 1 of 1 ("ivr") binds a tenant'],
  ])('names the bad entry %j by position, never its digest', (text, message) => {
    expect(() => parseApiKeys(text)).toThrow(message);
    let thrown = '';
    try {
      validateEnvironment({ API_KEYS: text });
    } catch (error) {
      thrown = (error as Error).message;
    }
    expect(thrown).toContain('API_KEYS entry');
    expect(thrown).not.toMatch(/abab|cdcd/);
  });
});

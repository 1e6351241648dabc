import { validateEnvironment } from './environment';
import { isTenantName, parseTenants } from './tenants';

describe('tenants', () => {
  it.each(['default', 'Environment', 'Contact Center Nord', '101', 'a', 'x'.repeat(64), 'Café'])(
    'takes %j as a tenant',
    (name) => expect(isTenantName(name)).toBe(true),
  );

  it.each(['', ' lead', 'trail ', 'tab\there', 'nul\u0000', 'x'.repeat(65)])(
    'refuses %j as a tenant',
    (name) => expect(isTenantName(name)).toBe(false),
  );

  it('pairs a DBID with its name, both standing for the name', () => {
    expect([...parseTenants('1=Environment, 101=ACME ,Nord')]).toEqual([
      ['Environment', 'Environment'],
      ['1', 'Environment'],
      ['ACME', 'ACME'],
      ['101', 'ACME'],
      ['Nord', 'Nord'],
    ]);
  });

  it('names the bad entry of TENANTS and DEFAULT_TENANT at boot', () => {
    expect(() => validateEnvironment({ TENANTS: 'acme,1=' })).toThrow('TENANTS entry "1="');
    expect(() => validateEnvironment({ DEFAULT_TENANT: ' x' })).toThrow('DEFAULT_TENANT');
    expect(() => validateEnvironment({ LIFECYCLE: 'loose' })).toThrow('LIFECYCLE');
    expect(() => validateEnvironment({ CORS_ORIGINS: 'desk.example.com' })).toThrow('CORS_ORIGINS');
    expect(validateEnvironment({}).DEFAULT_TENANT).toBe('default');
  });
});

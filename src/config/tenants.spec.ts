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
    expect(() => validateEnvironment({ TENANTS: 'acme,1=' })).toThrow('TENANTS entry 2 ("1=")');
    expect(() => validateEnvironment({ DEFAULT_TENANT: ' x' })).toThrow('DEFAULT_TENANT');
    expect(() => validateEnvironment({ LIFECYCLE: 'loose' })).toThrow('LIFECYCLE');
    expect(() => validateEnvironment({ CORS_ORIGINS: 'desk.example.com' })).toThrow('CORS_ORIGINS');
    expect(validateEnvironment({}).DEFAULT_TENANT).toBe('default');
  });

  it('takes names with spaces, non-ASCII letters and escaped separators', () => {
    expect([...parseTenants('7=Contact Center Nord,8=Zürich\\, Süd,Grand \\= Ouest')]).toEqual([
      ['Contact Center Nord', 'Contact Center Nord'],
      ['7', 'Contact Center Nord'],
      ['Zürich, Süd', 'Zürich, Süd'],
      ['8', 'Zürich, Süd'],
      ['Grand = Ouest', 'Grand = Ouest'],
    ]);
  });

  it.each([
    [
      '1=Alpha,2=1,3=Beta',
      /entry 2 makes "1" stand for "1", which an earlier entry gave to "Alpha"/,
    ],
    ['3=Beta,3=Gamma', /entry 2 makes "3" stand for "Gamma".*"Beta"/],
  ])('refuses the ambiguous TENANTS %j, naming the clash', (text, message) => {
    expect(() => parseTenants(text)).toThrow(message);
  });

  it('takes one tenant given twice, or under two DBIDs', () => {
    expect(parseTenants('1=A,2=A,A').get('2')).toBe('A');
  });
});

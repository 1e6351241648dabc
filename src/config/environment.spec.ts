import { logFormatOf, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  const defaults = {
    PORT: 3000,
    DB_POOL_SIZE: 8,
    BODY_LIMIT: '1mb',
    COMPOSITE_MAX_EVENTS: 100,
    EXTENSION_MAX_BYTES: 65536,
    EXTENSION_MAX_DEPTH: 16,
    MIGRATIONS_RUN: true,
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: 10000,
  };

  it('applies every default to an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject(defaults);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.RATE_LIMIT).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const env = validateEnvironment({
      PORT: '',
      MIGRATIONS_RUN: '',
      LOG_LEVEL: '',
      DATABASE_URL: '',
    });
    expect(env).toMatchObject(defaults);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts numeric and boolean strings', () => {
    expect(
      validateEnvironment({
        PORT: '8080',
        EXTENSION_MAX_DEPTH: ' 4 ',
        MIGRATIONS_RUN: 'false',
        DATABASE_URL: 'sqlite::memory:',
        BODY_LIMIT: '512kb',
        LOG_LEVEL: 'debug',
      }),
    ).toMatchObject({
      PORT: 8080,
      EXTENSION_MAX_DEPTH: 4,
      MIGRATIONS_RUN: false,
      DATABASE_URL: 'sqlite::memory:',
      BODY_LIMIT: '512kb',
      LOG_LEVEL: 'debug',
    });
  });

  it.each([
    ['true', true],
    ['YES', true],
    ['1', true],
    ['off', false],
    ['0', false],
  ])('reads MIGRATIONS_RUN=%s as %s', (raw, value) => {
    expect(validateEnvironment({ MIGRATIONS_RUN: raw }).MIGRATIONS_RUN).toBe(value);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DB_POOL_SIZE', '2.5'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'postgres://x'],
    ['BODY_LIMIT', 'lots'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['LOG_FORMAT', 'xml'],
    ['SHUTDOWN_TIMEOUT_MS', '-1'],
    ['RATE_LIMIT', 'fast'],
    ['RATE_LIMIT', '0/s'],
    ['RATE_LIMIT', '100/d'],
  ])('refuses %s=%s, naming it', (name, raw) => {
    expect(() => validateEnvironment({ [name]: raw })).toThrow(name);
  });

  it('names every bad variable in one error', () => {
    let message = '';
    try {
      validateEnvironment({
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'postgres://x',
        BODY_LIMIT: 'lots',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'BODY_LIMIT']) {
      expect(message).toContain(name);
    }
  });
});

describe('logFormatOf', () => {
  it.each([
    [{}, false, 'json'],
    [{}, true, 'pretty'],
    [{ NODE_ENV: 'production' }, false, 'json'],
    [{ NODE_ENV: 'development' }, false, 'pretty'],
    [{ NODE_ENV: 'development', LOG_FORMAT: 'json' as const }, false, 'json'],
    [{ LOG_FORMAT: 'json' as const }, true, 'json'],
    [{ LOG_FORMAT: 'pretty' as const }, false, 'pretty'],
  ])('%j, standard output a terminal: %s → %s', (env, terminal, format) => {
    expect(logFormatOf(env, terminal)).toBe(format);
  });
});

import { SharedResults } from './shared-results';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('SharedResults', () => {
  it('computes once for the requests that ask while it runs', async () => {
    const shared = new SharedResults<number>(0);
    const gate = deferred<number>();
    const compute = jest.fn(() => gate.promise);
    const answers = [shared.get('k', compute), shared.get('k', compute), shared.get('k', compute)];
    gate.resolve(42);
    await expect(Promise.all(answers)).resolves.toEqual([42, 42, 42]);
    expect(compute).toHaveBeenCalledTimes(1);
    // Without a cache, the next request computes again.
    await expect(shared.get('k', () => Promise.resolve(43))).resolves.toBe(43);
  });

  it('keeps a result for its time to live, per key', async () => {
    const shared = new SharedResults<string>(5000);
    await shared.get('a', () => Promise.resolve('first'), 0);
    await expect(shared.get('a', () => Promise.resolve('second'))).resolves.toBe('first');
    await expect(shared.get('b', () => Promise.resolve('other'))).resolves.toBe('other');
    await expect(shared.get('a', () => Promise.resolve('later'), Date.now() + 5001)).resolves.toBe(
      'later',
    );
  });

  it('shares a failure with the requests in flight, and keeps none of it', async () => {
    const shared = new SharedResults<number>(5000);
    const failing = () => Promise.reject(new Error('timed out'));
    await expect(Promise.all([shared.get('k', failing), shared.get('k', failing)])).rejects.toThrow(
      'timed out',
    );
    await expect(shared.get('k', () => Promise.resolve(1))).resolves.toBe(1);
  });

  it('keeps at most its number of results', async () => {
    const shared = new SharedResults<number>(60_000, 3);
    for (let i = 0; i < 10; i++) await shared.get(`k${i}`, () => Promise.resolve(i));
    const again = jest.fn(() => Promise.resolve(-1));
    await shared.get('k0', again);
    await shared.get('k9', again);
    expect(again).toHaveBeenCalledTimes(1);
  });
});

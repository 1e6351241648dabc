import { useEffect, useRef, useState } from 'preact/hooks';

/** How often the open view reads the API again while the tab is visible. */
export const REFRESH_MS = 5000;

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; data: T; at: number };

/**
 * Loads with `load` now and every REFRESH_MS while the page is visible (paused when the tab is hidden, at
 * once again when it shows), so that a journey moving through an IVR is seen moving. `key` restarts it.
 */
export function useLive<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const latest = useRef(load);
  latest.current = load;
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setLoaded({ state: 'loading' });
  }, [key]);

  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const run = async () => {
      window.clearTimeout(timer);
      if (document.hidden) return;
      try {
        const data = await latest.current();
        if (!cancelled) setLoaded({ state: 'ready', data, at: Date.now() });
      } catch (error) {
        if (!cancelled) setLoaded({ state: 'error', message: (error as Error).message });
      }
      if (!cancelled) timer = window.setTimeout(() => void run(), REFRESH_MS);
    };
    const onVisibility = () => {
      if (!document.hidden) void run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void run();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [key, tick]);

  return [loaded, () => setTick((n) => n + 1)];
}

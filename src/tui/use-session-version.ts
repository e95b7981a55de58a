import { useCallback, useSyncExternalStore } from 'react';

/** The part of a Session the UI subscribes to. */
export interface VersionedStore {
  /** Bumped on every change; listeners are told at most every ~100 ms (Session throttles). */
  readonly version: number;
  subscribe(listener: () => void): () => void;
}

/**
 * The session's version as React state: the one bridge between the store (plain data outside
 * React) and the components. A component re-renders when the Session notifies, which it does
 * at most ~10 times a second however fast records arrive, so the cost follows frames, not lines.
 * `minIntervalMs` spaces those re-renders further (while a big input is read, a frame every
 * quarter second shows the progress as well and leaves the CPU to reading and to the keys;
 * a key re-renders at once and sees the latest version anyway).
 */
export function useSessionVersion(store: VersionedStore, minIntervalMs = 0): number {
  const subscribe = useCallback((onChange: () => void) => {
    if (minIntervalMs <= 0) return store.subscribe(onChange);
    let last = 0;
    let timer: NodeJS.Timeout | null = null;
    const unsubscribe = store.subscribe(() => {
      const wait = last + minIntervalMs - Date.now();
      if (wait <= 0) {
        last = Date.now();
        onChange();
        return;
      }
      timer ??= setTimeout(() => {
        timer = null;
        last = Date.now();
        onChange();
      }, wait);
    });
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [store, minIntervalMs]);
  const getSnapshot = useCallback(() => store.version, [store]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

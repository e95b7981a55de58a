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
 */
export function useSessionVersion(store: VersionedStore): number {
  const subscribe = useCallback((onChange: () => void) => store.subscribe(onChange), [store]);
  const getSnapshot = useCallback(() => store.version, [store]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

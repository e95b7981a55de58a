import { useEffect, useReducer, useRef } from 'react';
import type { RecordStore } from '../analysis/record-store.js';
import { Scans, type TextScan } from './text-scan.js';

/** Re-renders for scan progress at most this often (a frame costs ~20–40 ms). */
const PROGRESS_MS = 250;

/**
 * The App's background scans (search, text filter) and a version that moves, at most 4×/s, as
 * they find rows — only for the scans the screen shows (`watched`: the filter; the search while
 * a jump waits for it). The scans stop when the App unmounts.
 */
export function useScans(store: RecordStore, watched: (scan: TextScan, scans: Scans) => boolean): { scans: Scans; scanVersion: number } {
  const [scanVersion, bump] = useReducer((x: number) => x + 1, 0);
  const timer = useRef<NodeJS.Timeout | null>(null);
  const isWatched = useRef(watched);
  isWatched.current = watched;
  const scans = useRef<Scans | null>(null);
  scans.current ??= new Scans(store, (scan) => {
    if (!isWatched.current(scan, scans.current!)) return;
    timer.current ??= setTimeout(() => {
      timer.current = null;
      bump();
    }, PROGRESS_MS);
  });
  useEffect(() => () => {
    scans.current?.stop();
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  return { scans: scans.current, scanVersion };
}

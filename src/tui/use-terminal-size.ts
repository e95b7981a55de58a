import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/**
 * The terminal size, updated on stdout `resize`. Explicit `columns`/`rows` win (tests: the
 * ink-testing-library stdout has no rows), so components take their size as props and never
 * read stdout themselves.
 */
export function useTerminalSize(columns?: number, rows?: number): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({ columns: columns ?? (stdout.columns || 80), rows: rows ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (columns !== undefined && rows !== undefined) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // read() closes over the props, which are fixed for a mounted App.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, columns, rows]);
  return { columns: columns ?? size.columns, rows: rows ?? size.rows };
}

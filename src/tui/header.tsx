import { Box } from 'ink';
import { Spinner } from './spinner.js';
import { StyledLine } from './styled-line.js';
import type { Line } from './styled.js';

export interface HeaderProps {
  /** From `headerLines` (header-lines.ts), cut to width. */
  lines: Line[];
  /** Show the spinner (files are still being read). */
  loading: boolean;
}

/**
 * Sources and health at a glance:
 * ```
 * ⠋ attachscope 3 logs: GwNotify SyncUpload SmsAdminUI · SCP01 · 01-14 09:41Z → 12:10Z · reading 45%
 * uploads last ok 11:46:06Z · next due 12:01:05Z · cycles 3 ok 4 failed 0 missed
 * actions 0 delivered 0 failed 0 pending │ findings 2 error 1 warning 0 info
 * ```
 */
export function Header({ lines, loading }: HeaderProps) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((l, i) =>
        i === 0 ? (
          <Box key={i}>
            <Spinner active={loading} />
            <StyledLine line={l} />
          </Box>
        ) : (
          <StyledLine key={i} line={l} />
        ),
      )}
    </Box>
  );
}

import { Text } from 'ink';
import { clockUtc } from './format.js';
import { barFor, type Histogram } from './view-model.js';

export interface ActivityHistogramProps {
  histogram: Histogram;
  /** Buckets holding the rows on screen (drawn bright; the rest dim). */
  visible: { first: number; last: number } | null;
}

/** The label widths around the bars: `activity 09:41:02Z ` … ` 12:10:44Z`. */
export const HISTOGRAM_CHROME = 'activity '.length + 10 + 10;

/**
 * One line: records over time for the filtered timeline, one bar per time bucket on a log scale;
 * a bucket with errors is red, with warnings yellow; the part on screen is bright.
 * ```
 * activity 09:41:02Z ▁▁▂▃▅▇▇▅▃▂▁  ▁▂▂▁▁ 12:10:44Z
 * ```
 */
export function ActivityHistogram({ histogram: h, visible }: ActivityHistogramProps) {
  return (
    <Text wrap="truncate-end">
      <Text dimColor>activity </Text>
      <Text dimColor>{clockUtc(h.fromMs).padEnd(9)} </Text>
      {h.buckets.map((b, i) => {
        const on = visible !== null && i >= visible.first && i <= visible.last;
        return (
          <Text key={i} color={b.errors ? 'red' : b.warnings ? 'yellow' : 'green'} dimColor={!on} bold={on}>
            {barFor(b.count, h.max)}
          </Text>
        );
      })}
      <Text dimColor> {clockUtc(h.toMs)}</Text>
    </Text>
  );
}

import { useEffect, useState } from 'react';
import { Text } from 'ink';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface SpinnerProps {
  /** Spin only while true (a stopped spinner has no timer). */
  active: boolean;
}

/**
 * A small spinner with its own timer, shown while files are read. It ticks at 4 Hz so it never
 * pushes the frame rate (each Ink frame re-renders the whole screen).
 */
export function Spinner({ active }: SpinnerProps) {
  const [i, setI] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setI((x) => (x + 1) % FRAMES.length), 250);
    return () => clearInterval(t);
  }, [active]);
  return <Text color="yellow">{active ? `${FRAMES[i]} ` : ''}</Text>;
}

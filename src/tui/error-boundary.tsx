import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Box, Text } from 'ink';

export interface ErrorBoundaryProps {
  children: ReactNode;
  /** Told once when a render fails (the runner then exits with code 1 and prints the stack). */
  onError?: (error: Error) => void;
}

interface State {
  error: Error | null;
}

/**
 * Catches a failing render and shows a readable message instead of Ink's stack overlay; the
 * analysis is still available headless through `attachscope scan`.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, _info: ErrorInfo): void {
    this.props.onError?.(error);
  }

  override render(): ReactNode {
    const e = this.state.error;
    if (!e) return this.props.children;
    return (
      <Box flexDirection="column">
        <Text color="red" bold>
          attachscope: the terminal UI failed: {String(e.message).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}
        </Text>
        <Text>The logs were not changed. `attachscope scan PATH...` writes the same analysis as a text report.</Text>
        <Text dimColor>Leaving the UI; the details follow on stderr.</Text>
      </Box>
    );
  }
}

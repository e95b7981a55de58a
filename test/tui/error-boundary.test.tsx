import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ErrorBoundary } from '../../src/tui/error-boundary.js';
import { plain, settle } from './helpers.js';

afterEach(() => cleanup());

function Boom(): never {
  throw new Error('bad \u001b[2J state');
}

describe('ErrorBoundary', () => {
  it('shows a readable message (controls removed) and reports the error', async () => {
    // React reports caught render errors on console.error in development: keep the output clean.
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const onError = vi.fn();
    const r = render(
      <ErrorBoundary onError={onError}>
        <Boom />
      </ErrorBoundary>,
    );
    await settle();
    spy.mockRestore();
    const f = plain(r.lastFrame());
    expect(f).toContain('attachscope: the terminal UI failed: bad  [2J state');
    expect(f).toContain('attachscope scan');
    expect(onError).toHaveBeenCalledOnce();
    expect((onError.mock.calls[0]![0] as Error).message).toMatch(/bad/);
  });
});

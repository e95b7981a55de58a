import { describe, expect, it } from 'vitest';
import { chooseDefaultPaths, windowsLogFolders } from '../../src/cli/default-paths.js';
import { parseTimeOption, parseDuration } from '../../src/cli/options.js';
import { globToRegExp, parseBiasOverride } from '../../src/analysis/bias-override.js';

describe('on-box default folders (win32 paths)', () => {
  it('lists SMS_LOG_PATH, the install folder, SMS_CCM and CCM logs', () => {
    const f = windowsLogFolders({ SMS_LOG_PATH: 'D:\\SCCM\\Logs\\', ProgramFiles: 'C:\\Program Files', SystemDrive: 'E:', WINDIR: 'C:\\Windows' });
    expect(f.map((x) => x.path)).toEqual(['D:\\SCCM\\Logs\\', 'C:\\Program Files\\Microsoft Configuration Manager\\Logs', 'E:\\SMS_CCM\\Logs', 'C:\\Windows\\CCM\\Logs']);
  });
  it('chooses what exists on Windows and says so; elsewhere the bundled samples', () => {
    const win = chooseDefaultPaths({ platform: 'win32', env: { WINDIR: 'C:\\Windows' }, exists: (p) => p === 'C:\\Windows\\CCM\\Logs' });
    expect(win.paths).toEqual(['C:\\Windows\\CCM\\Logs']);
    expect(win.why).toMatch(/client/);
    const lin = chooseDefaultPaths({ platform: 'linux', env: {}, exists: () => true });
    expect(lin.paths[0]).toMatch(/sample-logs/);
    expect(lin.why).toMatch(/bundled sample/);
  });
});

describe('option parsing', () => {
  it('times are ISO 8601 or durations before now', () => {
    const now = Date.UTC(2026, 0, 2, 12);
    expect(parseTimeOption('2h', now, '--since')).toBe(Date.UTC(2026, 0, 2, 10));
    expect(parseTimeOption('2026-01-02T10:00:00Z', now, '--since')).toBe(Date.UTC(2026, 0, 2, 10));
    expect(parseTimeOption('2026-01-02 12:00+02:00', now, '--since')).toBe(Date.UTC(2026, 0, 2, 10));
    expect(() => parseTimeOption('yesterday', now, '--since')).toThrow(/ISO 8601/);
    expect(parseDuration('30m')).toBe(1_800_000);
  });
  it('--bias FILE_GLOB=MINUTES', () => {
    expect(parseBiasOverride('Third*.log=-60')).toEqual({ glob: 'Third*.log', minutes: -60 });
    expect(() => parseBiasOverride('x.log')).toThrow(/FILE_GLOB=MINUTES/);
    expect(() => parseBiasOverride('x.log=9999')).toThrow(/840/);
    expect(globToRegExp('Third*.log').test('logs/ThirdParty.log')).toBe(true);
    expect(globToRegExp('**/CLIENT*/*.log').test('a/b/CLIENT042/x.log')).toBe(true);
  });
});

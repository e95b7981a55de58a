import { describe, expect, it } from 'vitest';
import { parseSmsexecLine, parseText } from '../../../parsers/formats/index.js';

describe('server $$< format', () => {
  it('parses the documented KB line (component with spaces, ~~ newline)', () => {
    const line = '[SQL Server Native Client 11.0]TCP Provider: An existing connection was forcibly closed by the remote host.~~  $$<Configuration Manager Setup><08-22-2016 04:15:01.917+420><thread=2868 (0xB34)>';
    const r = parseSmsexecLine(line)!;
    expect(r).toMatchObject({ component: 'Configuration Manager Setup', thread: '2868', bias: 420, localText: '08-22-2016 04:15:01.917' });
    expect(r.message).toBe('[SQL Server Native Client 11.0]TCP Provider: An existing connection was forcibly closed by the remote host.');
  });
  it('turns inner ~~ into newlines and tolerates any whitespace before $$<', () => {
    const r = parseSmsexecLine('a~~b\t$$<C><01-02-2026 10:00:00.000-060><thread=1 (0x1)>')!;
    expect(r.message).toBe('a\nb');
    expect(r.bias).toBe(-60);
  });
  it('severity from prefixes first, then CMTrace heuristic (fail but not failover)', () => {
    const sev = (m: string) => parseSmsexecLine(`${m}  $$<C><01-02-2026 10:00:00.000+000><thread=1 (0x1)>`)!.severity;
    expect(sev('ERROR: Encountered SqlException')).toBe('error');
    expect(sev('[Warning][W][0][System.Net.WebException][0x80131509]')).toBe('warning');
    expect(sev('[Critical][W][0][X][0x1]')).toBe('error');
    expect(sev('Upload failed. Will retry')).toBe('error');
    expect(sev('Cluster failover complete')).toBe('info');
    expect(sev('Retrying, warn threshold')).toBe('warning');
    expect(sev('Batching 12 records')).toBe('info');
  });
  it('tolerates the legacy SMS 2.0 date form', () => {
    const r = parseSmsexecLine('Started  $$<SMS_SITE_COMPONENT_MANAGER><Thu Mar 18 15:07:47.421 1999 Eastern Standard Time><thread=281 (0x119)>')!;
    expect(r.localText).toBe('Thu Mar 18 15:07:47.421 1999');
    expect(new Date(r.localMs!).toISOString()).toBe('1999-03-18T15:07:47.421Z');
    expect(r.bias).toBeNull();
  });
  it('a file may mix shapes: CMTrace, server and plain lines', () => {
    const text = [
      'copied text line with an error',
      'msg one  $$<C><01-02-2026 10:00:00.000+000><thread=1 (0x1)>',
      '<![LOG[cm]LOG]!><time="10:00:01.000+000" date="01-02-2026" component="K" context="" type="2" thread="3" file="">',
      'Authorized to perform client action.\tSMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker',
    ].join('\r\n');
    const rs = parseText(text, { log: 'L', path: 'p' });
    expect(rs.map((r) => r.format)).toEqual(['plain', 'smsexec', 'cmtrace', 'plain']);
    expect(rs[0]).toMatchObject({ severity: 'error', localMs: null, utcMs: null, line: 1 });
    expect(rs[3]).toMatchObject({ component: 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker', message: 'Authorized to perform client action.' });
  });
});

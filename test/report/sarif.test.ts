import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { toArtifactUri } from '../../src/report/sarif.js';
import { makeResult } from './fixture.js';
import { firstUnsafe, OPTS } from './helpers.js';

describe('sarif', () => {
  const sarif = JSON.parse(renderReport(makeResult(), 'sarif', OPTS));
  const run = sarif.runs[0];

  it('is SARIF 2.1.0 with one run and the tool driver', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'attachscope', version: '1.2.3' });
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
  });

  it('describes every evaluated rule; rules with findings in full', () => {
    const rules = run.tool.driver.rules as { id: string; name: string; shortDescription?: { text: string }; fullDescription?: { text: string }; help?: { text: string; markdown: string }; defaultConfiguration?: { level: string } }[];
    expect(rules.map((r) => r.id)).toEqual(['gateway-unauthorized', 'upload-failing', 'log-bias-suspicious', 'upload-resolved', 'proxy-timeout']);
    const gw = rules[0]!;
    expect(gw.shortDescription?.text).toMatch(/refuses/);
    expect(gw.fullDescription?.text).toMatch(/DevicePost answered 401/);
    expect(gw.help?.text).toMatch(/^1\. In the console/);
    expect(gw.help?.markdown).toMatch(/<https:\/\/learn\.microsoft\.com/);
    expect(gw.defaultConfiguration?.level).toBe('error');
    expect(rules[1]).toEqual({ id: 'upload-failing', name: 'upload-failing' });
    expect(rules[3]!.defaultConfiguration?.level).toBe('note');
  });

  it('one result per finding with level, message and locations from evidence', () => {
    const results = run.results as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]; relatedLocations?: unknown[] }[];
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([['gateway-unauthorized', 'error'], ['log-bias-suspicious', 'warning'], ['upload-resolved', 'note']]);
    for (const r of results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const gw = results[0]!;
    expect(gw.message.text).toMatch(/12 occurrences/);
    expect(gw.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'logs/SCP01/CMGatewaySyncUploadWorker.log' }, region: { startLine: 61 } } }]);
    expect(gw.relatedLocations).toHaveLength(2);
    expect(JSON.stringify(gw.relatedLocations)).toContain('file:///C:/Program%20Files/Microsoft%20Configuration%20Manager/Logs/CMGatewayNotificationWorker.log');
    // Evidence derived from cycles has no file: no location rather than a bogus one.
    expect(results[2]!.locations).toBeUndefined();
  });

  it('artifact URIs: relative stays relative, absolute becomes file:, segments encoded', () => {
    expect(toArtifactUri('logs/SCP01/x.log')).toBe('logs/SCP01/x.log');
    expect(toArtifactUri('./logs/a b.log')).toBe('logs/a%20b.log');
    expect(toArtifactUri('C:\\Logs\\x.log')).toBe('file:///C:/Logs/x.log');
    expect(toArtifactUri('/var/log/x#1.log')).toBe('file:///var/log/x%231.log');
    expect(toArtifactUri('\\\\server\\share\\x.log')).toBe('file://server/share/x.log');
    expect(toArtifactUri('logs.zip!SCP01/x.log')).toBe('logs.zip!SCP01/x.log');
  });

  it('message texts show hostile characters instead of carrying them', () => {
    const text = renderReport(makeResult(), 'sarif', OPTS);
    expect(firstUnsafe(text.replace(/\n/g, ''))).toBeNull();
    expect(text).not.toMatch(/\\u001b|\\u202e|\\u0007/);
    expect(text).toContain('␛]0;pwned␇');
  });
});

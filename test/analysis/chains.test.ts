import { describe, expect, it } from 'vitest';
import { buildChains } from '../../src/analysis/chains.js';
import type { SortedEvent } from '../../src/analysis/model.js';

const T0 = Date.UTC(2026, 2, 14, 10, 0, 0);
let seq = 0;

/** An event of the kind chains read, on the log that writes it. */
function ev(kind: string, atSec: number, fields: SortedEvent['fields'], sourceId = 'SCP01:CMGatewayNotificationWorker'): SortedEvent {
  seq++;
  const utcMs = T0 + atSec * 1000;
  return {
    kind, log: sourceId.split(':')[1]!, utcMs, localText: null, bias: 0, severity: 'info',
    summary: kind, fields, refs: [{ path: `${sourceId}.log`, line: seq, offset: seq * 100 }], text: kind,
    sortMs: utcMs, seq, sourceId, machine: sourceId.split(':')[0]!, logKind: sourceId.split(':')[1]!,
  };
}

const MP = 'MP01:BgbServer';
const CLIENT = 'PC01:CcmNotificationAgent';

/** Authorized and forwarded on the service connection point, pushed by the management point. */
function upToPush(guid: string, pushId: number, at: number): SortedEvent[] {
  return [
    ev('action.authorized', at, { action: 'Sync Machine Policy', template: 'RequestMachinePolicyNow' }),
    ev('action.forwarded', at + 1, { taskGuid: guid, template: '1' }),
    ev('bgb.push-start', at + 2, { taskGuid: guid, pushId, taskType: 1 }, MP),
  ];
}

describe('action chains', () => {
  it('says why each chain stopped, from the few values of its hops that decide it', () => {
    const events = [
      // delivered, answered ReturnCode 1 (documented success)
      ...upToPush('AAAA', 1, 0),
      ev('client.task-received', 3, { taskGuid: 'aaaa', pushId: 1 }, CLIENT),
      ev('client.task-response', 4, { taskGuid: 'aaaa', pushId: 1, taskId: 1, returnCode: 1 }, CLIENT),
      // the client answered a failure
      ...upToPush('BBBB', 2, 10),
      ev('client.task-response', 13, { taskGuid: 'bbbb', pushId: 2, returnCode: 5 }, CLIENT),
      // the management point reported failed clients (the status line names only the PushID)
      ...upToPush('CCCC', 3, 20),
      ev('bgb.status-report', 23, { pushId: 3, reportedClients: 2, failedClients: 1 }, MP),
      // pushed, never received: waiting for the client
      ...upToPush('DDDD', 4, 30),
      ...upToPush('EEEE', 5, 40),
      // refused on the service connection point
      ev('action.unauthorized', 50, { action: 'CMPivot' }),
      // no name on the first hops: the name comes from a later hop
      ev('bgb.push-start', 60, { taskGuid: 'FFFF', pushId: 6 }, MP),
      ev('client.task-received', 61, { taskGuid: 'ffff', action: 'App Evaluation Cycle' }, CLIENT),
    ];
    const chains = buildChains(events);
    const by = new Map(chains.map((c) => [c.taskGuid, c]));

    expect(by.get('aaaa')).toMatchObject({ action: 'Sync Machine Policy', state: 'delivered', stoppedAt: null, reason: null });
    expect(by.get('aaaa')!.hops.map((h) => h.hop)).toEqual(['authorized', 'forwarded', 'push-start', 'client-received', 'client-response']);
    expect(by.get('bbbb')).toMatchObject({ state: 'failed', stoppedAt: 'client-response', reason: 'the client answered ReturnCode 5' });
    expect(by.get('cccc')).toMatchObject({ state: 'failed', stoppedAt: 'status-report', reason: 'the management point reported 1 failed client(s) and 2 reported' });
    const waiting = 'no receipt on the client (CcmNotificationAgent: Receive task from server) seen after push-start';
    expect(by.get('dddd')).toMatchObject({ state: 'pending', stoppedAt: 'push-start', reason: waiting });
    expect(by.get('eeee')!.reason).toBe(waiting);
    const refused = chains.find((c) => c.taskGuid.startsWith('unauthorized:'));
    expect(refused).toMatchObject({ action: 'CMPivot', state: 'failed', stoppedAt: 'unauthorized' });
    expect(by.get('ffff')).toMatchObject({ action: 'App Evaluation Cycle', state: 'delivered', reason: 'reached the client; no task response seen' });
    expect(by.get('ffff')!.hops[1]!.latencyMs).toBe(1000);

    // A hop is what the report shows: the event's fields stay with the event.
    for (const c of chains) for (const h of c.hops) expect(Object.keys(h).sort()).toEqual(['event', 'hop', 'latencyMs', 'line', 'localText', 'log', 'machine', 'path', 'utcMs']);
  });
});

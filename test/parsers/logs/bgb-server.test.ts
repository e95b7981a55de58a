import { describe, expect, it } from 'vitest';
import { CMPIVOT_SCRIPT_GUID } from '../../../parsers/logs/actions.js';
import { events, kinds, only } from './helpers.js';

const K = 'BgbServer';
const G = 'A43DD1B3-A006-4604-B012-5529380B3B6F';

describe('BgbServer', () => {
  it('reads a push start (two spaces before "with")', () => {
    const e = only(
      events(K, `Starting to send push task (PushID: 7 TaskID: 8 TaskGUID: ${G} TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)`),
      'bgb.push-start',
    );
    expect(e.fields).toEqual({
      pushId: 7,
      taskId: 8,
      taskGuid: G,
      taskType: 1,
      action: 'Sync Machine Policy',
      clients: 1,
      strategy: 1,
      param: 42,
      scriptGuid: null,
    });
    expect(e.severity).toBe('info');
  });

  it('reads a push start without throttling, one space, lower case', () => {
    const e = only(events(K, `starting to send push task (PushID: 7 TaskID: 8 TaskGUID: ${G} TaskType: 1 TaskParam: ) to 3 clients`), 'bgb.push-start');
    expect(e.fields).toMatchObject({ clients: 3, strategy: null, param: null });
  });

  it('names CMPivot and Run Script pushes from the TaskParam', () => {
    const param = (guid: string): string => Buffer.from(`<ScriptContent ScriptGuid='${guid}'><ScriptVersion>1</ScriptVersion></ScriptContent>`, 'utf16le').toString('base64');
    const pivot = only(
      events(K, `Starting to send push task (PushID: 9 TaskID: 12 TaskGUID: ${G} TaskType: 15 TaskParam: ${param(CMPIVOT_SCRIPT_GUID)}) to 2 clients with throttling (strategy: 1 param: 42)`),
      'bgb.push-start',
    );
    expect(pivot.fields).toMatchObject({ taskType: 15, action: 'CMPivot', scriptGuid: CMPIVOT_SCRIPT_GUID });
    const other = '0A1B2C3D-0000-4000-8000-00000000AAAA';
    const script = only(
      events(K, `Starting to send push task (PushID: 9 TaskID: 12 TaskGUID: ${G} TaskType: 15 TaskParam: ${param(other)}) to 2 clients`),
      'bgb.push-start',
    );
    expect(script.fields).toMatchObject({ action: 'Run Script', scriptGuid: other });
    const unknown = only(events(K, `Starting to send push task (PushID: 1 TaskID: 2 TaskGUID: ${G} TaskType: 4 TaskParam: ) to 1 clients`), 'bgb.push-start');
    expect(unknown.fields.action).toBe('TaskType 4');
  });

  it('reads a push finish', () => {
    const e = only(events(K, 'Finished sending push task (PushID: 9 TaskID: 12) to 2 clients'), 'bgb.push-finish');
    expect(e.fields).toEqual({ pushId: 9, taskId: 12, clients: 2 });
  });

  it('reads a task status report', () => {
    const e = only(
      events(K, 'Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb5c1db.BTS at 09/16/2019 16:46:39. (PushID: 9 ReportedClients: 2 FailedClients: 0)'),
      'bgb.status-report',
    );
    expect(e.fields).toEqual({ pushId: 9, reportedClients: 2, failedClients: 0, reportPath: 'c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb5c1db.BTS' });
    expect(e.severity).toBe('info');
  });

  it('a report with failed clients is a warning; paths may hold spaces', () => {
    const e = only(
      events(K, 'Generated BGB task status report C:\\Program Files\\SMS_CCM\\bgb.box\\B1.BTS at 9/6/2019 6:46:39 PM (PushID: 3 ReportedClients: 2 FailedClients: 1)'),
      'bgb.status-report',
    );
    expect(e.fields).toMatchObject({ pushId: 3, failedClients: 1, reportPath: 'C:\\Program Files\\SMS_CCM\\bgb.box\\B1.BTS' });
    expect(e.severity).toBe('warning');
  });

  it('ignores other lines', () => {
    expect(kinds(events(K, 'Get one push message from database.'))).toEqual([]);
  });
});

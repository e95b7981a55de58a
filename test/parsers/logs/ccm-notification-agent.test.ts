import { describe, expect, it } from 'vitest';
import { CMPIVOT_SCRIPT_GUID } from '../../../parsers/logs/actions.js';
import { events, kinds, only } from './helpers.js';

const K = 'CcmNotificationAgent';
const G1 = 'A43DD1B3-A006-4604-B012-5529380B3B6F';
const G2 = 'B0000000-0000-4000-8000-000000000002';
const RESPONSE = (push: number, task: number, code = 1, stamp = '2020-01-21T15:43:43Z'): string =>
  `Send Task response message <BgbResponseMessage TimeStamp="${stamp}"><PushID>${push}</PushID><TaskID>${task}</TaskID><ReturnCode>${code}</ReturnCode></BgbResponseMessage> successfully.`;

describe('CcmNotificationAgent', () => {
  it('reads a received task', () => {
    const e = only(events(K, `Receive task from server with pushid=7, taskid=8, taskguid=${G1}, tasktype=1 and taskParam=`), 'client.task-received');
    expect(e.fields).toEqual({ pushId: 7, taskId: 8, taskGuid: G1, taskType: 1, action: 'Sync Machine Policy', scriptGuid: null });
  });

  it('names a CMPivot task from its taskParam', () => {
    const p = Buffer.from(`<ScriptContent ScriptGuid='${CMPIVOT_SCRIPT_GUID}'></ScriptContent>`, 'utf16le').toString('base64');
    const e = only(events(K, `Receive task from server with pushid=9, taskid=12, taskguid=${G1}, tasktype=15 and taskParam=${p}`), 'client.task-received');
    expect(e.fields).toMatchObject({ taskType: 15, action: 'CMPivot', scriptGuid: CMPIVOT_SCRIPT_GUID });
  });

  it('reads a response with its UTC timestamp (both spellings of "successfully")', () => {
    const e = only(events(K, RESPONSE(8, 9)), 'client.task-response');
    expect(e.fields).toEqual({ pushId: 8, taskId: 9, returnCode: 1, responseUtcMs: Date.UTC(2020, 0, 21, 15, 43, 43), taskGuid: null });
    const f = only(events(K, RESPONSE(8, 9, 0).replace('successfully', 'successfuly')), 'client.task-response');
    expect(f.fields.returnCode).toBe(0);
  });

  it('gives the response the guid of the task with the same PushID+TaskID', () => {
    const list = events(
      K,
      `Receive task from server with pushid=7, taskid=8, taskguid=${G1}, tasktype=1 and taskParam=`,
      `Receive task from server with pushid=10, taskid=11, taskguid=${G2}, tasktype=1 and taskParam=`,
      RESPONSE(7, 8),
    );
    expect(kinds(list)).toEqual(['client.task-received', 'client.task-received', 'client.task-response']);
    expect(list[2]!.fields.taskGuid).toBe(G1);
  });

  it('else the most recent task not yet answered (the docs samples have mismatched IDs)', () => {
    const list = events(
      K,
      `Receive task from server with pushid=7, taskid=8, taskguid=${G1}, tasktype=1 and taskParam=`,
      RESPONSE(8, 9),
      `Receive task from server with pushid=20, taskid=21, taskguid=${G2}, tasktype=1 and taskParam=`,
      RESPONSE(99, 99),
      RESPONSE(98, 98),
    );
    const responses = list.filter((e) => e.kind === 'client.task-response');
    expect(responses.map((e) => e.fields.taskGuid)).toEqual([G1, G2, null]);
  });

  it('reads offsets and fractions in the timestamp', () => {
    const e = only(events(K, RESPONSE(1, 2, 1, '2020-01-21T16:43:43.5+01:00')), 'client.task-response');
    expect(e.fields.responseUtcMs).toBe(Date.UTC(2020, 0, 21, 15, 43, 43, 500));
    const bad = only(events(K, RESPONSE(1, 2, 1, 'yesterday')), 'client.task-response');
    expect(bad.fields.responseUtcMs).toBeNull();
  });

  it('keeps state per extractor instance', () => {
    events(K, `Receive task from server with pushid=7, taskid=8, taskguid=${G1}, tasktype=1 and taskParam=`);
    expect(only(events(K, RESPONSE(7, 8)), 'client.task-response').fields.taskGuid).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { events, kinds, only, rec, run } from './helpers.js';

const T = '1A2B3C4D-0000-4000-8000-00000000ABCD';
const S = '7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14';
const CLIENT = 'C1E2F3A4-1111-4222-8333-444455556666';

describe('Scripts.log', () => {
  it('marks a result fast when (fast) was seen for that task', () => {
    const list = events('Scripts', `Sending script state message (fast): {${T}}`, `Result are sent for ScriptGuid: ${S} and TaskID: {${T}}`);
    expect(kinds(list)).toEqual(['script.result']);
    expect(list[0]!.fields).toEqual({ taskGuid: T, scriptGuid: S, fast: true });
  });

  it('matches the task case-insensitively and only for that task', () => {
    const list = events(
      'Scripts',
      `Sending script state message (fast): {${T.toLowerCase()}}`,
      `Result are sent for ScriptGuid: ${S} and TaskID: {B0000000-0000-4000-8000-000000000002}`,
      `Result are sent for ScriptGuid: ${S} and TaskID: {${T}}`,
    );
    expect(list.map((e) => e.fields.fast)).toEqual([false, true]);
  });

  it('reads the pre-1810 state message', () => {
    const e = only(events('Scripts', `Sending script state message: ${S}`), 'script.result');
    expect(e.fields).toEqual({ taskGuid: null, scriptGuid: S, fast: false });
  });
});

describe('MP_RelayMsgMgr.log', () => {
  it('reads the message key and ties the later steps (same thread) to it', () => {
    const list = run('MP_RelayMsgMgr', [
      rec(`MessageKey: GUID:${CLIENT}{${T}}`, { thread: '12' }),
      rec('Create message succeeded for message id 16777230', { thread: '12' }),
      rec('Add message payload succeeded for message id 16777230', { thread: '12' }),
      rec('Put message succeeded for message id 16777230', { thread: '12' }),
      rec('CRelayMsgMgrHandler::HandleMessage(): ExecuteTask() succeeded', { thread: '12' }),
      rec('Put message failed for message id 5', { thread: '99' }),
    ]);
    expect(list.map((e) => e.fields.step)).toEqual(['message-key', 'create', 'add-payload', 'put', 'execute-task', 'put-failed']);
    expect(list[0]!.fields).toEqual({ taskGuid: T, clientGuid: CLIENT, step: 'message-key', messageId: null });
    expect(list[1]!.fields).toEqual({ taskGuid: T, clientGuid: CLIENT, step: 'create', messageId: '16777230' });
    expect(list[5]!.fields).toEqual({ taskGuid: null, clientGuid: null, step: 'put-failed', messageId: '5' });
    expect(list[5]!.severity).toBe('error');
  });
});

describe('SMS_MESSAGE_PROCESSING_ENGINE.log', () => {
  it('reads processed counts', () => {
    const e = only(
      events('SMS_MESSAGE_PROCESSING_ENGINE', 'Processed 2 messages with type Instant. Failed to process 0 messages. All message IDs 16777230,16777231'),
      'mpe.processed',
    );
    expect(e.fields).toEqual({ count: 2, failed: 0, messageType: 'Instant' });
    expect(e.severity).toBe('info');
    const f = only(events('SMS_MESSAGE_PROCESSING_ENGINE', 'Processed 3 messages with type Instant. Failed to process 1 messages.'), 'mpe.processed');
    expect(f.severity).toBe('error');
  });

  it('ignores the Processing line', () => {
    expect(events('SMS_MESSAGE_PROCESSING_ENGINE', 'Processing 2 messages with type Instant and IDs 16777230[19], 16777231[20]')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  CMPIVOT_SCRIPT_GUID,
  actionForTaskType,
  actionForTemplate,
  scriptGuidFromTaskParam,
} from '../../../parsers/logs/actions.js';

const XML = (guid: string): string =>
  `<ScriptContent ScriptGuid='${guid}'><ScriptVersion>1</ScriptVersion><ScriptType>0</ScriptType><ScriptHash ScriptHashAlg='SHA256'>ABC</ScriptHash></ScriptContent>`;

describe('action names', () => {
  it('maps the documented template IDs only', () => {
    expect(actionForTemplate('RequestMachinePolicy')).toBe('Sync Machine Policy');
    expect(actionForTemplate('requestmachinepolicy')).toBe('Sync Machine Policy');
    expect(actionForTemplate('1')).toBe('Sync Machine Policy');
    expect(actionForTemplate('RequestUserPolicy')).toBe('TemplateID RequestUserPolicy');
    expect(actionForTemplate('8')).toBe('TemplateID 8');
    expect(actionForTemplate(null)).toBeNull();
    expect(actionForTemplate('')).toBeNull();
  });

  it('maps the documented task types only', () => {
    expect(actionForTaskType(1, null)).toBe('Sync Machine Policy');
    expect(actionForTaskType(15, CMPIVOT_SCRIPT_GUID)).toBe('CMPivot');
    expect(actionForTaskType(15, CMPIVOT_SCRIPT_GUID.toLowerCase())).toBe('CMPivot');
    expect(actionForTaskType(15, `{${CMPIVOT_SCRIPT_GUID}}`)).toBe('CMPivot');
    expect(actionForTaskType(15, '11111111-2222-3333-4444-555555555555')).toBe('Run Script');
    expect(actionForTaskType(15, null)).toBe('Run Script');
    expect(actionForTaskType(8, null)).toBe('TaskType 8');
    expect(actionForTaskType(null, null)).toBeNull();
  });
});

describe('TaskParam decoding', () => {
  it('decodes base64 of UTF-16LE XML', () => {
    expect(scriptGuidFromTaskParam(Buffer.from(XML(CMPIVOT_SCRIPT_GUID), 'utf16le').toString('base64'))).toBe(CMPIVOT_SCRIPT_GUID);
  });

  it('decodes base64 of UTF-8 XML (double quotes, lower case)', () => {
    const guid = 'abcdef01-2345-6789-abcd-ef0123456789';
    const xml = `<ScriptContent ScriptGuid="${guid}"></ScriptContent>`;
    expect(scriptGuidFromTaskParam(Buffer.from(xml, 'utf8').toString('base64'))).toBe(guid);
  });

  it('reads plain XML too', () => {
    expect(scriptGuidFromTaskParam(XML(CMPIVOT_SCRIPT_GUID))).toBe(CMPIVOT_SCRIPT_GUID);
  });

  it('gives null for empty, non-base64 or unrelated params', () => {
    expect(scriptGuidFromTaskParam(null)).toBeNull();
    expect(scriptGuidFromTaskParam('')).toBeNull();
    expect(scriptGuidFromTaskParam('TargetDeviceIDs: 1')).toBeNull();
    expect(scriptGuidFromTaskParam(Buffer.from('hello world, nothing here').toString('base64'))).toBeNull();
    expect(scriptGuidFromTaskParam('!!!not base64!!!')).toBeNull();
  });
});

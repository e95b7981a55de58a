/**
 * Device-action names from TemplateIDs (notification worker) and BGB TaskTypes (BgbServer,
 * CcmNotificationAgent), and the TaskParam decoder that separates CMPivot from ordinary scripts.
 *
 * Only documented mappings are named; anything else is reported raw (`TemplateID X`,
 * `TaskType N`), never guessed.
 */
import { stripBraces } from './text.js';

/** CMPivot's fixed ScriptGuid. */
export const CMPIVOT_SCRIPT_GUID = '7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14';

export const SYNC_MACHINE_POLICY = 'Sync Machine Policy';
export const RUN_SCRIPT = 'Run Script';
export const CMPIVOT = 'CMPivot';

/** `RequestMachinePolicy` or `1` → Sync Machine Policy; other IDs raw; null when absent. */
export function actionForTemplate(templateId: string | null): string | null {
  if (templateId === null || templateId === '') return null;
  if (/^requestmachinepolicy$/i.test(templateId) || /^0*1$/.test(templateId)) return SYNC_MACHINE_POLICY;
  return `TemplateID ${templateId}`;
}

/** TaskType 1 → Sync Machine Policy; 15 → CMPivot or Run Script (by ScriptGuid); others raw. */
export function actionForTaskType(taskType: number | null, scriptGuid: string | null): string | null {
  if (taskType === null) return null;
  if (taskType === 1) return SYNC_MACHINE_POLICY;
  if (taskType === 15) return isCmPivot(scriptGuid) ? CMPIVOT : RUN_SCRIPT;
  return `TaskType ${taskType}`;
}

export function isCmPivot(scriptGuid: string | null): boolean {
  return scriptGuid !== null && stripBraces(scriptGuid).toUpperCase() === CMPIVOT_SCRIPT_GUID;
}

const SCRIPT_GUID_RE = /ScriptGuid\s*=\s*(?:\\?["'])?\s*\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?/;

/**
 * The ScriptGuid in a TaskParam: base64 of `<ScriptContent ScriptGuid='…'>…` in UTF-16LE or
 * UTF-8 (both tried), or the XML itself. Null when the param is empty or holds no ScriptGuid.
 */
export function scriptGuidFromTaskParam(taskParam: string | null): string | null {
  if (taskParam === null) return null;
  const param = taskParam.trim();
  if (param === '') return null;
  const plain = SCRIPT_GUID_RE.exec(param);
  if (plain) return plain[1] ?? null;
  const compact = param.replace(/\s+/g, '');
  if (compact.length < 8 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, 'base64');
  for (const encoding of ['utf16le', 'utf8'] as const) {
    const text = bytes.toString(encoding);
    const m = SCRIPT_GUID_RE.exec(text);
    if (m) return m[1] ?? null;
  }
  return null;
}

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'attachscope-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const cm = (msg: string, time = '10:00:00.000+000', date = '01-02-2026', type = '1', component = 'C') =>
  `<![LOG[${msg}]LOG]!><time="${time}" date="${date}" component="${component}" context="" type="${type}" thread="1" file="">`;

export const srv = (msg: string, stamp = '01-02-2026 10:00:00.000+000', component = 'SMS_SERVICE_CONNECTOR_X') =>
  `${msg}  $$<${component}><${stamp}><thread=1 (0x1)>`;

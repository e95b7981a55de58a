/** The help overlay's text, generated from the key table (keys.ts) so it can never drift. */
import { KEY_TABLE, keyLabel } from './keys.js';
import { seg, type Line } from './styled.js';

const KEY_W = 22;

export function helpLines(width: number): Line[] {
  const out: Line[] = [[seg('attachscope — keys', { bold: true, underline: true }), seg('   (j/k scroll · ? or Esc closes)', { dim: true })]];
  let group = '';
  for (const b of KEY_TABLE) {
    if (b.group !== group) {
      group = b.group;
      out.push([seg(group, { bold: true, color: 'cyan' })]);
    }
    const keys = b.keys.map(keyLabel).join(' ');
    out.push([seg('  ' + keys.padEnd(KEY_W - 2), { bold: true }), seg(b.description.slice(0, Math.max(10, width - KEY_W)))]);
  }
  out.push([seg('Filter (f)', { bold: true, color: 'cyan' })]);
  out.push([seg('  sev:error  sev:warn+  log:Bgb  comp:SMS  text:timeout  text:/0x8\\d+/  -log:Notify')]);
  out.push([seg('  terms are ANDed; commas give alternatives (log:Bgb,Ccm); F clears the filter', { dim: true })]);
  out.push([seg('Search (/)', { bold: true, color: 'cyan' })]);
  out.push([seg('  a JavaScript regex, case-insensitive unless it has capitals; an invalid one is searched literally', { dim: true })]);
  out.push([seg('Rows', { bold: true, color: 'cyan' })]);
  out.push([seg('  E/W/I severity (red/yellow) · ◆ a row that is a timeline event · > the selection', { dim: true })]);
  return out;
}

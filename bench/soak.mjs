#!/usr/bin/env node
// Long soak of the live tail (`scan --follow`): ≥ 500 rollovers through the real CLI.
//
//   npm run build && node bench/soak.mjs [--lines 250000] [--rate 5000] [--roll 65536]
//                                        [--format cmtrace|smsexec] [--encoding utf-8|utf-16le]
//                                        [--poll MS]
//
// Prints records, rollovers, lost/duplicated sequence numbers and append-to-emit latency (worst,
// p99, p50; measured from the writer's wall clock in each line to the moment the record line is
// read from the CLI's stdout). Exit code 1 when a line was lost or duplicated.
import { ensureBuilt, runSoak } from '../test/e2e/fixtures/soak-harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const lines = Number(opt('lines', '250000'));
const rate = Number(opt('rate', '5000'));
const roll = Number(opt('roll', '65536'));
const format = opt('format', 'cmtrace');
const encoding = opt('encoding', 'utf-8');
const poll = opt('poll', null);

const b = ensureBuilt();
if (b.built) console.log('built dist/ first');
console.log(`soak: ${lines} ${format} lines (${encoding}) at ${rate}/s, rollover at ${roll} bytes${poll ? `, --poll ${poll}` : ''}`);
const r = await runSoak({
  lines, rate, roll, format, encoding, cliArgs: poll ? ['--poll', poll] : [], quietMs: 10_000,
  progress: (s) => console.log(s),
});
const show = (xs) => (xs.length ? `${xs.length} (first: ${xs.slice(0, 10).join(', ')})` : '0');
console.log(`records:     ${r.records} (${r.distinct} distinct of ${r.lines}; ${r.unmatched} unmatched)`);
console.log(`rollovers:   ${r.rollovers}`);
console.log(`lost:        ${show(r.lost)}; reported by the CLI: ${r.lossReports} time(s)`);
console.log(`duplicated:  ${show(r.duplicated)}`);
console.log(`latency:     worst ${r.worstMs} ms, p99 ${r.p99Ms} ms, p50 ${r.p50Ms} ms`);
console.log(`writer:      ${r.writerMs} ms for ${(r.bytes / 1e6).toFixed(1)} MB; drained ${r.drainMs} ms after the writer finished`);
console.log(`cli exit:    ${r.exitCode}${r.signal ? ` (${r.signal})` : ''}; summary line ${r.summary ? 'written' : 'MISSING'}`);
const problems = r.stderr.split('\n').filter((l) => l && !/following \d+ log/.test(l));
if (problems.length) console.log(`cli stderr (${problems.length} lines):\n  ${problems.slice(0, 5).join('\n  ')}`);
process.exitCode = r.lost.length || r.duplicated.length || r.exitCode !== 0 ? 1 : 0;

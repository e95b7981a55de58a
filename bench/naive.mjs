#!/usr/bin/env node
/**
 * The naive baseline from the performance issue: Node readline + one regex per line, counting
 * error lines (CMTrace `type="3"`, or "error"/"fail" in a `$$<` line). No framing, no times.
 *
 *   node bench/naive.mjs FILE [cmtrace|smsexec]
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [file, format = 'cmtrace'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/naive.mjs FILE [cmtrace|smsexec]\n');
  process.exit(2);
}
const re = format === 'cmtrace'
  ? /^(?:<!\[LOG\[)?(.*)\]LOG\]!><time="([^"]*)" date="([^"]*)" component="([^"]*)" context="[^"]*" type="(\d)"/
  : /^(.*?)\s*\$\$<([^>]*)><([^>]*)>/;
let lines = 0;
let errors = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  lines++;
  const m = re.exec(line);
  if (!m) continue;
  if (format === 'cmtrace' ? m[5] === '3' : /error|fail/i.test(m[1])) errors++;
}
process.stdout.write(`${lines} lines, ${errors} errors\n`);

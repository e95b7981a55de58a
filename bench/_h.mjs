import { zipSync } from 'fflate';
import { writeFileSync } from 'node:fs';
import { listZip } from '/work/main/dist/src/ingest/zip-disk.js';
import { entryHead } from '/work/main/dist/src/ingest/zip-entry.js';
const text = Buffer.from('x'.repeat(100) + 'hello world line\r\n'.repeat(50000));
writeFileSync('/tmp/s11/h.zip', zipSync({ 'D.log': text }));
const e = (await listZip('/tmp/s11/h.zip')).entries[0].span;
const h = entryHead(e);
console.log(e, h.length, Buffer.from(h).subarray(0, 40).toString());

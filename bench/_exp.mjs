
import { zipEntryChunks } from '/work/main/dist/src/ingest/zip-entry.js';
import { open } from 'node:fs/promises';
const mode = process.argv[2];
// find the inner span: list the outer zip with a fake; simpler: yauzl directly
import yauzl from 'yauzl';
const span = await new Promise((res) => yauzl.open('/tmp/s11/nested/case-deflated.zip', { lazyEntries: true }, (e, zf) => { zf.readEntry(); zf.on('entry', (en) => zf.readLocalFileHeader(en, { minimal: true }, (err, h) => res({ archive: '/tmp/s11/nested/case-deflated.zip', dataStart: h.fileDataStart, compressedSize: en.compressedSize, size: en.uncompressedSize, method: 8, crc32: en.crc32 }))); }));
const r0 = process.memoryUsage().rss;
const fh = mode === 'write' ? await open('/tmp/s11/out.zip', 'w') : null;
const gc = () => {}; let n = 0; const t0=performance.now();
for await (const c of zipEntryChunks(span)) { if (fh) await fh.write(c); if (++n % 64 === 0 && mode.includes('gc')) gc({type:'minor'}); }
console.log(Math.round(performance.now()-t0),'ms');
await fh?.close();
console.log(mode, 'rss before', Math.round(r0 / 1e6), 'after', Math.round(process.memoryUsage().rss / 1e6));

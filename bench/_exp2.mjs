import { open } from 'node:fs/promises';
import { Inflate } from 'fflate';
import yauzl from 'yauzl';
const mode = process.argv[2];
const span = await new Promise((res) => yauzl.open('/tmp/s11/nested/case-deflated.zip', { lazyEntries: true }, (e, zf) => { zf.readEntry(); zf.on('entry', (en) => zf.readLocalFileHeader(en, { minimal: true }, (err, h) => res({ dataStart: h.fileDataStart, compressedSize: en.compressedSize, size: en.uncompressedSize })))}));
const r0 = process.memoryUsage().rss;
const t0 = performance.now();
const src = await open('/tmp/s11/nested/case-deflated.zip', 'r');
const out = await open('/tmp/s11/out.zip', 'w');
const buf = Buffer.allocUnsafe(1 << 16);
let got = 0;
let pending = [];
const inf = new Inflate((chunk) => { got += chunk.length; pending.push(chunk); });
for (let pos = 0; pos < span.compressedSize; ) {
  const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, span.compressedSize - pos), span.dataStart + pos);
  pos += bytesRead;
  inf.push(buf.subarray(0, bytesRead), pos >= span.compressedSize);
  for (const c of pending) await out.write(c);
  pending = [];
}
await out.close(); await src.close();
console.log(mode, got, Math.round(performance.now() - t0), 'ms rss before', Math.round(r0 / 1e6), 'after', Math.round(process.memoryUsage().rss / 1e6));

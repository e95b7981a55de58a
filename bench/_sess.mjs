import { Session } from '../dist/src/analysis/session.js';
const t0 = performance.now();
const s = new Session([process.argv[2]], { follow: false, keepRecords: true, throttleMs: 100, loadingThrottleMs: 250 });
let notes = 0; s.subscribe?.(() => notes++);
await s.start();
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), records: s.store.size, notes, rssMB: Math.round(process.memoryUsage().rss / 1e6) }));
await s.stop();

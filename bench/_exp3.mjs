import { Worker } from 'node:worker_threads';
const r0 = process.memoryUsage().rss;
const t0 = performance.now();
await new Promise((res, rej) => {
  const w = new Worker(new URL('./_exp.mjs', import.meta.url), { argv: ['write'] });
  w.on('exit', res); w.on('error', rej);
});
console.log('worker', Math.round(performance.now() - t0), 'ms rss before', Math.round(r0 / 1e6), 'after exit', Math.round(process.memoryUsage().rss / 1e6));

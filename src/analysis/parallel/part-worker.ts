/** Worker-thread entry of one part of a parallel scan (part.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { runPart, type PartJob } from './part.js';

const result = await runPart(workerData as PartJob);
// The packed events' arrays are handed over, not copied.
parentPort?.postMessage(result, [result.events.bytes.buffer, result.events.starts.buffer]);

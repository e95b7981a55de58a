/** Worker-thread entry of one part of a parallel scan (part.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { runPart, type PartJob } from './part.js';

parentPort?.postMessage(await runPart(workerData as PartJob));

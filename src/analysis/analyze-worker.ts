/**
 * Worker-thread entry of an isolated analysis (see isolated.ts): analyzes the sources it is
 * given, keeping no events (the caller reports no event list), and posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSources } from './analyze.js';
import type { IsolatedJob } from './isolated.js';

const job = workerData as IsolatedJob;
const result = await analyzeSources(job.sources, job.problems, { ...job.opts, keepEvent: () => false });
parentPort?.postMessage(result);

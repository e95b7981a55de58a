/**
 * Worker-thread entry of an isolated analysis (see isolated.ts): analyzes the sources it is
 * given, keeping no events (the caller reports no event list), and posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSources } from './analyze.js';
import type { IsolatedJob } from './isolated.js';

const job = workerData as IsolatedJob;
const result = await analyzeSources(job.sources, job.problems, { ...job.opts, keepEvent: () => false });
// The events the core still kept (action events for the chains, the upload worker's for the
// cycles) have been read into chains and cycles; the caller lists none. Not posting them saves
// a copy in each thread at the run's peak (1 GiB: 17,000 events, 9 MB serialized).
parentPort?.postMessage({ ...result, events: [] });

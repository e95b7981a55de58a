/**
 * Worker-thread entry of an isolated analysis (see isolated.ts): analyzes the sources it is
 * given, keeping no events (the caller reports no event list, or lists them from the spill the
 * job asks for), and posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSources } from './analyze.js';
import { spillForJob } from './event-spill.js';
import type { IsolatedJob, IsolatedResult } from './isolated.js';
import { plainEventLine } from '../report/ndjson.js';

const job = workerData as IsolatedJob;
const spill = job.spill ? spillForJob(job.spill, plainEventLine) : null;
const result = await analyzeSources(job.sources, job.problems, {
  ...job.opts,
  keepEvent: () => false,
  ...(spill ? { onEvents: spill.push } : {}),
});
// The events the core still kept (action events for the chains, the upload worker's for the
// cycles) have been read into chains and cycles; the caller lists none. Not posting them saves
// a copy in each thread at the run's peak (1 GiB: 17,000 events, 9 MB serialized).
const out: IsolatedResult = { ...result, events: [], ...(spill ? { spill: spill.spill.handOver() } : {}) };
parentPort?.postMessage(out);

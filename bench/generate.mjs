#!/usr/bin/env node
/**
 * Writes large, realistic tenant attach logs for the benchmarks (never committed: bench/data/ is
 * git-ignored). Deterministic for a given seed.
 *
 *   node bench/generate.mjs --format cmtrace --size 1G
 *   node bench/generate.mjs --format smsexec --size 100M --out bench/data/x
 *   node bench/generate.mjs --format cmtrace --size 1G --set        # a folder of 5 logs
 *
 * Options:
 *   --format cmtrace|smsexec   line format (`smsexec` is the server `$$<` format). Default cmtrace.
 *   --size N[K|M|G]            total bytes to write (approximate, stops after the record that crosses it).
 *   --out PATH                 output folder (default bench/data/<format>-<size>[-set]).
 *   --log NAME                 single-file mode: the file's log name (default CMGatewayNotificationWorker).
 *   --set                      write a folder: sync upload, notification worker, generic upload,
 *                              BgbServer and CcmNotificationAgent logs, one shared timeline
 *                              (action chains cross logs by TaskGuid).
 *   --seed N                   PRNG seed (default 1).
 *   --quiet                    no progress output.
 *
 * Content mix (single file, by records): ~80% long-poll pairs (request + 204), ~12% noise and
 * heartbeats, upload cycles every 15 simulated minutes, action chains (~0.6% of steps, one in ten
 * unauthorized), multi-line exception entries (~0.3%), and error lines (401/500/timeouts/AADSTS/
 * upload failed) so that about 2% of records are errors. Lines end in CRLF like ConfigMgr logs.
 * Time advances ~0.2 s per record on average, with bias +480 (Pacific standard time).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const a = { format: 'cmtrace', size: '100M', out: null, log: 'CMGatewayNotificationWorker', set: false, seed: 1, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    if (k === '--format') a.format = next();
    else if (k === '--size') a.size = next();
    else if (k === '--out') a.out = next();
    else if (k === '--log') a.log = next();
    else if (k === '--set') a.set = true;
    else if (k === '--seed') a.seed = Number(next());
    else if (k === '--quiet') a.quiet = true;
    else if (k === '-h' || k === '--help') {
      process.stdout.write('usage: node bench/generate.mjs --format cmtrace|smsexec --size 1G [--set] [--out DIR] [--log NAME] [--seed N]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  if (a.format === '$$<' || a.format === 'server') a.format = 'smsexec';
  if (a.format !== 'cmtrace' && a.format !== 'smsexec') throw new Error(`--format must be cmtrace or smsexec, not ${a.format}`);
  return a;
}

export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(String(text).trim());
  if (!m) throw new Error(`bad size ${text}`);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase()];
  return Math.round(Number(m[1]) * mult);
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';

// ---------------------------------------------------------------------------------------------
// Time formatting (wall clock in ms as if UTC; the bias is written separately)

const p2 = (n) => (n < 10 ? '0' : '') + n;
const p3 = (n) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

class Clock {
  constructor(startMs) {
    this.ms = startMs;
    this.dayStart = -1;
    this.dateText = '';
    this.usDate = '';
  }
  advance(ms) {
    this.ms += ms;
  }
  /** MM-dd-yyyy for the current day (cached). */
  date() {
    const day = Math.floor(this.ms / 86_400_000) * 86_400_000;
    if (day !== this.dayStart) {
      const d = new Date(day);
      this.dayStart = day;
      this.dateText = `${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}-${d.getUTCFullYear()}`;
      this.usDate = `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()}`;
    }
    return this.dateText;
  }
  time(ms = this.ms) {
    const t = ms - Math.floor(ms / 86_400_000) * 86_400_000;
    const h = Math.floor(t / 3_600_000);
    const m = Math.floor(t / 60_000) % 60;
    const s = Math.floor(t / 1000) % 60;
    return `${p2(h)}:${p2(m)}:${p2(s)}.${p3(t % 1000)}`;
  }
  /** `MM/dd/yyyy HH:mm:ss` of an arbitrary time (for "Next run time"). */
  usDateTime(ms) {
    const d = new Date(ms);
    return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const BIAS = '+480';
const GATEWAY = 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway';
const COMPONENTS = {
  CMGatewaySyncUploadWorker: 'SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker',
  CMGatewayNotificationWorker: 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker',
  GenericUploadWorker: 'SMS_SERVICE_CONNECTOR_GenericUploadWorker',
  BgbServer: 'BgbServer',
  CcmNotificationAgent: 'BgbAgent',
};
const THREADS = { CMGatewaySyncUploadWorker: 5216, CMGatewayNotificationWorker: 4312, GenericUploadWorker: 6120, BgbServer: 3104, CcmNotificationAgent: 3008 };

class Sink {
  constructor(file, format) {
    this.fd = openSync(file, 'w');
    this.file = file;
    this.format = format;
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
    this.records = 0;
    this.errors = 0;
  }
  write(line) {
    this.parts.push(line);
    // All generated text is ASCII: length is the byte count.
    this.pending += line.length;
    if (this.pending >= 4 << 20) this.flush();
  }
  flush() {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    writeSync(this.fd, text, null, 'latin1');
    this.bytes += this.pending;
    this.parts = [];
    this.pending = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

class Writer {
  constructor(opts, clock, rnd) {
    this.format = opts.format;
    this.clock = clock;
    this.rnd = rnd;
    this.sinks = new Map();
    this.single = null;
    this.limit = opts.limit;
    mkdirSync(opts.out, { recursive: true });
    if (opts.set) {
      for (const log of Object.keys(COMPONENTS)) this.sinks.set(log, new Sink(path.join(opts.out, `${log}.log`), opts.format));
    } else {
      this.single = new Sink(path.join(opts.out, `${opts.log}.log`), opts.format);
      this.sinks.set(opts.log, this.single);
    }
  }
  get bytes() {
    let n = 0;
    for (const s of this.sinks.values()) n += s.bytes + s.pending;
    return n;
  }
  get done() {
    return this.bytes >= this.limit;
  }
  /** One record. `sev`: 1 info, 2 warning, 3 error. `message` may hold `\n`. */
  rec(log, message, sev = 1, thread = THREADS[log]) {
    const sink = this.single ?? this.sinks.get(log);
    const component = COMPONENTS[log] ?? log;
    const c = this.clock;
    let line;
    if (this.format === 'cmtrace') {
      const msg = message.includes('\n') ? message.replace(/\n/g, '\r\n') : message;
      line = `<![LOG[${msg}]LOG]!><time="${c.time()}${BIAS}" date="${c.date()}" component="${component}" context="" type="${sev}" thread="${thread}" file="">\r\n`;
    } else {
      const msg = message.includes('\n') ? message.replace(/\n/g, '~~') : message;
      line = `${msg}  $$<${component}><${c.date()} ${c.time()}${BIAS}><thread=${thread} (0x${thread.toString(16).toUpperCase()})>\r\n`;
    }
    sink.write(line);
    sink.records++;
    if (sev === 3) sink.errors++;
  }
  close() {
    for (const s of this.sinks.values()) s.close();
  }
  stats() {
    return [...this.sinks.values()].map((s) => ({ file: s.file, bytes: s.bytes, records: s.records, errors: s.errors }));
  }
}

// ---------------------------------------------------------------------------------------------
// Content

function makeGuid(rnd) {
  let s = '';
  for (let i = 0; i < 32; i++) {
    if (i === 8 || i === 12 || i === 16 || i === 20) s += '-';
    s += HEX[(rnd() * 16) | 0];
  }
  return s;
}

const USERS = ['9247ddce-7878-43a2-a3f8-307dfc8d4815', 'c856786d-b0b7-452b-8bf7-17ecd7f28b03'];
const TENANT = '57dfc4e2-c715-42e3-a6fe-df13f33c5787';
const TEMPLATES = ['RequestMachinePolicy', 'RequestUserPolicy', 'DownloadComputerPolicy', 'EvaluateApplications'];

function stack(frames) {
  const all = [
    'at System.Net.HttpWebRequest.EndGetResponse(IAsyncResult asyncResult)',
    'at System.Threading.Tasks.TaskFactory`1.FromAsyncCoreLogic(IAsyncResult iar, Func`2 endFunction, Action`1 endAction, Task`1 promise, Boolean requiresSynchronization)',
    '--- End of stack trace from previous location where exception was thrown ---',
    'at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)',
    'at System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification(Task task)',
    'at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()',
    'at Microsoft.ConfigurationManager.ServiceConnector.GatewayClient.<SendAsync>d__21.MoveNext()',
  ];
  return all.slice(0, frames).map((f) => `   ${f}`).join('\n');
}

class Story {
  constructor(w, clock, rnd) {
    this.w = w;
    this.c = clock;
    this.rnd = rnd;
    this.nextUpload = clock.ms + 60_000;
    this.pushId = 1;
    this.taskId = 1;
    this.online = 1830;
    this.nextBgbCount = clock.ms;
    this.nextKeepAlive = clock.ms;
  }

  tick(maxMs) {
    this.c.advance(1 + Math.floor(this.rnd() * this.rnd() * maxMs));
  }

  step() {
    const c = this.c;
    if (c.ms >= this.nextUpload) {
      this.upload();
      return;
    }
    if (c.ms >= this.nextBgbCount) {
      this.nextBgbCount = c.ms + 15 * 60_000;
      this.online += Math.floor(this.rnd() * 11) - 5;
      this.w.rec('BgbServer', `BGB server online client count: ${this.online}`);
    }
    if (c.ms >= this.nextKeepAlive) {
      this.nextKeepAlive = c.ms + 15 * 60_000;
      this.w.rec('CcmNotificationAgent', 'Send keep-alive message to MP01.contoso.com:10123 successfully.');
    }
    const r = this.rnd();
    if (r < 0.006) this.action();
    else if (r < 0.009) this.exception();
    else if (r < 0.058) this.errorLine();
    else if (r < 0.16) this.noise();
    else this.poll();
  }

  poll() {
    const w = this.w;
    w.rec('CMGatewayNotificationWorker', `[GetNotifications] Creating web request to: ${GATEWAY}/Notification Method: GET Activity ID: ${makeGuid(this.rnd)} Timeout: 00:02:00`);
    this.tick(900);
    w.rec('CMGatewayNotificationWorker', `[GetNotifications] Response from ${GATEWAY}/Notification is: 204 (NoContent)`);
    this.tick(50);
    const r = this.rnd();
    if (r < 0.45) w.rec('CMGatewayNotificationWorker', 'No new notification.');
    else if (r < 0.75) w.rec('CMGatewayNotificationWorker', 'Waiting 0 seconds before the next poll.');
    this.tick(300);
  }

  noise() {
    const r = this.rnd();
    const w = this.w;
    if (r < 0.3) w.rec('CMGatewayNotificationWorker', `Notification worker heartbeat. Pending notifications: 0.`, 1, 4388);
    else if (r < 0.55) w.rec('CMGatewayNotificationWorker', 'SQL connection opened to CMSQL01.contoso.com, database CM_PS1.');
    else if (r < 0.75) w.rec('CMGatewayNotificationWorker', `Getting notifications from the gateway for hierarchy PS1, tenant ${TENANT}.`);
    else if (r < 0.9) w.rec('GenericUploadWorker', `Uploading ${Math.floor(this.rnd() * 400)} collection memberships for hierarchy PS1 (batch ${Math.floor(this.rnd() * 90)}).`);
    else w.rec('CMGatewayNotificationWorker', 'Worker thread is alive; last successful poll completed without notifications.', 1, 4388);
    this.tick(600);
  }

  errorLine() {
    const w = this.w;
    const r = this.rnd();
    if (r < 0.3) {
      w.rec('CMGatewayNotificationWorker', `[GetNotifications] Creating web request to: ${GATEWAY}/Notification Method: GET Activity ID: ${makeGuid(this.rnd)} Timeout: 00:02:00`);
      this.tick(800);
      w.rec('CMGatewayNotificationWorker', `[GetNotifications] Response from ${GATEWAY}/Notification is: 401 (Unauthorized)`, 3);
    } else if (r < 0.45) {
      w.rec('CMGatewayNotificationWorker', `[GetNotifications] Response from ${GATEWAY}/Notification is: 500 (InternalServerError)`, 3);
    } else if (r < 0.6) {
      w.rec('CMGatewayNotificationWorker', 'Web exception when getting new notification. The operation has timed out', 3);
    } else if (r < 0.72) {
      w.rec('CMGatewayNotificationWorker', `Failed to acquire access token for the gateway. Exception: Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS7000222: The provided client secret keys for app 'd3e1cfa8-e7b1-4845-b2f0-5c2b1da640ec' are expired. Trace ID: ${makeGuid(this.rnd)} Correlation ID: ${makeGuid(this.rnd)} Timestamp: 2026-02-10 17:03:12Z`, 3);
    } else if (r < 0.84) {
      w.rec('CMGatewayNotificationWorker', 'Unable to connect to the remote server ---> System.Net.Sockets.SocketException: A connection attempt failed because the connected party did not properly respond after a period of time 40.83.1.2:443 (0x8007274C)', 3);
    } else if (r < 0.92) {
      w.rec('CMGatewayNotificationWorker', `Error occured when process notification with notification Id ${makeGuid(this.rnd)}. Ignore the notification.`, 3);
    } else {
      w.rec('CMGatewayNotificationWorker', 'ExecuteReader requires an open and available Connection. The connection\'s current state is closed.', 3);
    }
    this.tick(800);
  }

  exception() {
    const w = this.w;
    const frames = 2 + Math.floor(this.rnd() * 5);
    const status = this.rnd() < 0.5 ? '(401) Unauthorized' : '(500) Internal Server Error';
    w.rec(
      'CMGatewayNotificationWorker',
      `Exception details:\n[Warning][CMGatewayNotificationWorker][0][System.Net.WebException][0x80131509]\nThe remote server returned an error: ${status}.\n${stack(frames)}\nResponse in the web exception: {"Message":"An error has occurred."}`,
      2,
    );
    this.tick(300);
    w.rec('CMGatewayNotificationWorker', 'Web exception when getting new notification', 3);
    this.tick(900);
  }

  action() {
    const w = this.w;
    const guid = makeGuid(this.rnd).toUpperCase();
    const template = TEMPLATES[Math.floor(this.rnd() * TEMPLATES.length)];
    const user = USERS[Math.floor(this.rnd() * USERS.length)];
    w.rec('CMGatewayNotificationWorker', `[GetNotifications] Response from ${GATEWAY}/Notification is: 200 (OK)`);
    this.tick(200);
    w.rec('CMGatewayNotificationWorker', 'Received new notification. Validating basic notification details...');
    this.tick(100);
    w.rec('CMGatewayNotificationWorker', 'Validating device action message content...');
    this.tick(100);
    if (this.rnd() < 0.1) {
      w.rec('CMGatewayNotificationWorker', `Unauthorized to perform client action. TemplateID: ${template} TenantId: ${TENANT} AADUserID:   ${user}`, 3);
      this.tick(300);
      return;
    }
    w.rec('CMGatewayNotificationWorker', `Authorized to perform client action. TemplateID: ${template} TenantId: ${TENANT} AADUserID:   ${user}`);
    this.tick(200);
    w.rec('CMGatewayNotificationWorker', `Forwarded BGB remote task. TemplateID: 1 TaskGuid: ${guid} TaskParam:  TargetDeviceIDs: 1`);
    this.tick(1500);
    const push = this.pushId++;
    const task = this.taskId++;
    w.rec('BgbServer', 'Get one push message from database.');
    this.tick(200);
    w.rec('BgbServer', `Starting to send push task (PushID: ${push} TaskID: ${task} TaskGUID: ${guid} TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)`);
    this.tick(200);
    w.rec('BgbServer', `Finished sending push task (PushID: ${push} TaskID: ${task}) to 1 clients`);
    this.tick(2000);
    const delivered = this.rnd() >= 0.05;
    if (delivered) {
      w.rec('CcmNotificationAgent', `Receive task from server with pushid=${push}, taskid=${task}, taskguid=${guid}, tasktype=1 and taskParam=`);
      this.tick(600);
      w.rec('CcmNotificationAgent', `Send Task response message <BgbResponseMessage TimeStamp="2026-02-10T17:47:26Z"><PushID>${push}</PushID><TaskID>${task}</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.`);
      this.tick(3000);
    }
    w.rec('BgbServer', `Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb${((push * 2654435761) >>> 0).toString(16).slice(0, 6)}.BTS at ${this.c.usDateTime(this.c.ms)}. (PushID: ${push} ReportedClients: ${delivered ? 1 : 0} FailedClients: ${delivered ? 0 : 1})`);
    this.tick(500);
  }

  upload() {
    const w = this.w;
    const log = 'CMGatewaySyncUploadWorker';
    const n = 5 + Math.floor(this.rnd() * 60);
    w.rec(log, 'SQL connection opened to CMSQL01.contoso.com, database CM_PS1.');
    this.tick(100);
    w.rec(log, this.rnd() < 0.02 ? 'Starting sync upload (full).' : 'Starting sync upload (delta).');
    this.tick(400);
    w.rec(log, `Batching ${n} records`);
    this.tick(200);
    w.rec(log, `[UploadDelta_HelpdeskUpload] Creating web request to: ${GATEWAY}/DevicePost Method: POST Activity ID: ${makeGuid(this.rnd)} Timeout: 00:02:00`);
    this.tick(2500);
    const failed = this.rnd() < 0.03;
    if (failed) {
      w.rec(log, `[UploadDelta_HelpdeskUpload] Response from ${GATEWAY}/DevicePost is: 401 (Unauthorized)`, 3);
      this.tick(100);
      w.rec(log, `[WebException]: Failed to upload data to '${GATEWAY}/DevicePost'`, 3);
      this.tick(100);
      w.rec(log, 'Upload failed. Will retry at next run.', 3);
    } else {
      w.rec(log, `[UploadDelta_HelpdeskUpload] Response from ${GATEWAY}/DevicePost is: 200 (OK)`);
      this.tick(100);
      w.rec(log, `Upload completed successfully. ${n} records uploaded.`);
    }
    this.tick(50);
    const next = this.c.ms + 15 * 60_000;
    w.rec(log, `Next run time will be at approximately: ${this.c.usDateTime(next)}`);
    this.tick(10);
    w.rec(log, 'Sleeping for 900 seconds');
    this.nextUpload = next + 500 + Math.floor(this.rnd() * 1500);
  }
}

// ---------------------------------------------------------------------------------------------

export function generate(opts) {
  const limit = parseSize(opts.size);
  const out = opts.out ?? path.join(HERE, 'data', `${opts.format}-${String(opts.size).toUpperCase()}${opts.set ? '-set' : ''}`);
  const rnd = mulberry32(opts.seed ?? 1);
  const clock = new Clock(Date.UTC(2026, 1, 10, 8, 0, 0, 0));
  const w = new Writer({ ...opts, out, limit }, clock, rnd);
  const story = new Story(w, clock, rnd);
  const t0 = Date.now();
  let nextReport = 64 << 20;
  while (!w.done) {
    story.step();
    if (!opts.quiet && w.bytes >= nextReport) {
      process.stderr.write(`\r${(w.bytes / 1048576).toFixed(0)} / ${(limit / 1048576).toFixed(0)} MiB`);
      nextReport += 64 << 20;
    }
  }
  w.close();
  if (!opts.quiet) process.stderr.write(`\r${' '.repeat(30)}\r`);
  return { out, seconds: (Date.now() - t0) / 1000, files: w.stats() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const res = generate(opts);
    for (const f of res.files) {
      process.stdout.write(`${f.file}\t${(f.bytes / 1048576).toFixed(1)} MiB\t${f.records} records\t${f.errors} errors (${f.records ? ((100 * f.errors) / f.records).toFixed(2) : 0}%)\n`);
    }
    process.stderr.write(`generated in ${res.seconds.toFixed(1)} s\n`);
  } catch (e) {
    process.stderr.write(`generate: ${e.message}\n`);
    process.exit(2);
  }
}

#!/usr/bin/env node
// Generates the attachscope sample log sets (one folder per scenario) under sample-logs/.
// Deterministic: fixed dates, GUIDs derived from labels (SHA-1), a seeded PRNG per scenario.
// Node 20, no dependencies.  Run: node sample-logs/make-samples.mjs
//
// Conventions (see /work/shared/domain-reference.md §3):
//   CMTrace:  <![LOG[msg]LOG]!><time="HH:mm:ss.fff+BBB" date="MM-dd-yyyy" component=".." context="" type="1" thread="1234" file="">
//   server :  msg  $$<Component><MM-dd-yyyy HH:mm:ss.fff+BBB><thread=4312 (0x10D8)>   (newlines in msg -> "~~")
//   bias   :  minutes, UTC = local + bias (Pacific standard +480, CET -60, EET -120, UTC +000)
//   all files CRLF; one file UTF-16LE with BOM (multi-site CLIENT042/CcmNotificationAgent.log).

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

// ---------------------------------------------------------------- helpers
const pad = (n, w = 2) => String(n).padStart(w, '0');
const U = (iso) => Date.parse(iso);

function guid(label, upper = false) {
  const h = crypto.createHash('sha1').update('attachscope-sample:' + label).digest('hex');
  const g = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return upper ? g.toUpperCase() : g;
}
const hex6 = (label) => crypto.createHash('sha1').update('bts:' + label).digest('hex').slice(0, 6);

function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const seedOf = (s) => parseInt(crypto.createHash('sha1').update(s).digest('hex').slice(0, 8), 16);

function lp(t, bias) {
  const d = new Date(t - bias * MIN);
  return {
    Y: d.getUTCFullYear(), Mo: pad(d.getUTCMonth() + 1), D: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()), s: pad(d.getUTCSeconds()), ms: pad(d.getUTCMilliseconds(), 3),
  };
}
// 'pad3' => +480 / -120 / +000 / -060 ; 'short' => -60 (what real ConfigMgr writes for CET)
function biasStr(b, style = 'pad3') {
  const sign = b < 0 ? '-' : '+';
  const a = Math.abs(b);
  return sign + (style === 'short' ? String(a) : pad(a, 3));
}
/** MM/dd/yyyy HH:mm:ss in the machine's local time (Next run time, BGB report). */
function slashLocal(t, bias) {
  const p = lp(t, bias);
  return `${p.Mo}/${p.D}/${p.Y} ${p.h}:${p.mi}:${p.s}`;
}
const isoZ = (t) => new Date(t).toISOString().slice(0, 19) + 'Z';
const aadStamp = (t) => new Date(t).toISOString().slice(0, 19).replace('T', ' ') + 'Z';

// ---------------------------------------------------------------- log writer
class Log {
  constructor(o) {
    Object.assign(this, { format: 'server', thread: 4312, fileAttr: '', biasStyle: 'pad3', encoding: 'utf8', rotateAt: null }, o);
    this.entries = [];
  }
  add(t, msg, o = {}) {
    t = Math.round(t);
    this.entries.push({
      t, msg, type: o.type ?? 1, component: o.component ?? this.component,
      thread: o.thread ?? this.thread, file: o.file ?? this.fileAttr,
    });
    return t;
  }
  /** Consecutive entries `step` ms apart; returns the time of the last one. */
  seq(t, msgs, step = 3, o = {}) {
    let x = t - step;
    for (const m of msgs) {
      if (m == null) continue;
      x += step;
      if (typeof m === 'object') this.add(x, m.msg, { ...o, ...m });
      else this.add(x, m, o);
    }
    return x;
  }
  line(e) {
    const p = lp(e.t, this.bias);
    const b = biasStr(this.bias, this.biasStyle);
    if (this.format === 'cmtrace') {
      const msg = e.msg.replace(/\r?\n/g, '\r\n');
      return `<![LOG[${msg}]LOG]!><time="${p.h}:${p.mi}:${p.s}.${p.ms}${b}" date="${p.Mo}-${p.D}-${p.Y}" component="${e.component}" context="" type="${e.type}" thread="${e.thread}" file="${e.file}">`;
    }
    const msg = e.msg.replace(/\r?\n/g, '~~');
    return `${msg}  $$<${e.component}><${p.Mo}-${p.D}-${p.Y} ${p.h}:${p.mi}:${p.s}.${p.ms}${b}><thread=${e.thread} (0x${e.thread.toString(16).toUpperCase()})>`;
  }
  render(list) {
    return list.map((e) => this.line(e) + '\r\n').join('');
  }
}

function writeLog(dir, log) {
  const list = log.entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e);
  const parts = [];
  if (log.rotateAt != null) {
    const older = list.filter((e) => e.t < log.rotateAt);
    const newer = list.filter((e) => e.t >= log.rotateAt);
    parts.push([log.rel.replace(/\.log$/i, '.lo_'), older], [log.rel, newer]);
  } else parts.push([log.rel, list]);
  for (const [rel, entries] of parts) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = log.render(entries);
    const buf = log.encoding === 'utf16le'
      ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
      : Buffer.from(text, 'utf8');
    fs.writeFileSync(file, buf);
    const last = entries.length ? entries[entries.length - 1].t : Date.now();
    fs.utimesSync(file, new Date(last), new Date(last));
  }
}

// ---------------------------------------------------------------- domain constants
const TENANT = guid('tenant-contoso');
const APP = guid('app-configmgr-tenant-attach');
const USER_JANE = guid('aad-user-jane.admin');
const USER_BOB = guid('aad-user-bob.helpdesk');
const GW = 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway';
const URL = { notif: `${GW}/Notification`, post: `${GW}/DevicePost`, onboard: `${GW}/AccountOnboardingInfo` };
const FRAME_GETRESP = 'Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()';
const GENERIC_RESP = '{"Message":"An error has occurred."}';
const CMPIVOT_GUID = '7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14';
const SQL = 'SQL connection opened to CMSQL01.contoso.com, database CM_PS1.';

const C = {
  notif: 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker',
  upload: 'SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker',
  generic: 'SMS_SERVICE_CONNECTOR_GenericUploadWorker',
  endpoint: 'SMS_SERVICE_CONNECTOR_EndpointConnectivityCheckWorker',
};
const TH = { notif: 4312, upload: 5216, generic: 6044, endpoint: 7308, aad: 3920, admin: 2968, prov: 7788, bgb: 3104, cna: 3008, scripts: 5560, ui: 1 };

const req = (sc, url, method, act) => `[${sc}] Creating web request to: ${url} Method: ${method} Activity ID: ${act} Timeout: 00:02:00`;
const resp = (sc, url, code) => `[${sc}] Response from ${url} is: ${code}`;
function exBlock({ sev = 'Critical', worker, type = 'System.Net.WebException', hr = '0x80131509', msg, frame = FRAME_GETRESP, response }) {
  return ['Exception details:', `[${sev}][${worker}][0][${type}][${hr}]`, `${msg}    at ${frame}`,
    ...(response !== undefined ? [`Response in the web exception: ${response}`] : [])];
}
/** Emit an exception block: consecutive entries (server style) or one multi-line CMTrace entry. */
function emitEx(log, t, lines, { multiline = false, type = 3 } = {}) {
  if (multiline) return log.add(t, lines.join('\n'), { type });
  return log.seq(t, lines, 2, { type });
}
const aadTail = (t, label) => `\nTrace ID: ${guid(label + ':trace')}\nCorrelation ID: ${guid(label + ':corr')}\nTimestamp: ${aadStamp(t)}`;
const AADSTS = {
  expired: `AADSTS7000222: The provided client secret keys for app '${APP}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  invalid: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${APP}'.`,
  consent: `AADSTS65001: The user or administrator has not consented to use the application with ID '${APP}' named 'ConfigMgr Tenant Attach'. Send an interactive authorization request for this user and resource.`,
};
const ADAL_EX = 'Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException';

/** CMPivot TaskParam: base64 of the ScriptContent XML. Microsoft's CMPivot troubleshooting doc shows
 * `PFNjcmlwdENvbnRlbnQgU2NyaXB0R3VpZD0nN0RDNkI2RjEt...` = base64 of the ASCII/UTF-8 text, so we encode UTF-8. */
const CMPIVOT_XML = `<ScriptContent ScriptGuid='${CMPIVOT_GUID}'><ScriptVersion>1</ScriptVersion><ScriptType>0</ScriptType><ScriptHash ScriptHashAlg='SHA256'>ABCDEF</ScriptHash><ScriptParameters></ScriptParameters><ParameterGroupHash ParameterHashAlg='SHA256'></ParameterGroupHash></ScriptContent>`;
const CMPIVOT_PARAM = Buffer.from(CMPIVOT_XML, 'utf8').toString('base64');

// ---------------------------------------------------------------- scenario context
function makeCtx(name) {
  const rng = mulberry32(seedOf(name));
  const logs = [];
  return {
    name, rng, logs,
    j: (a, b) => a + rng() * (b - a),
    int: (a, b) => Math.floor(a + rng() * (b - a + 1)),
    log(rel, o) { const l = new Log({ rel, ...o }); logs.push(l); return l; },
  };
}

// ---------------------------------------------------------------- building blocks
/**
 * One CMGatewaySyncUploadWorker cycle starting at t.
 * outcome: 'ok' | '401' | 'token' (token acquisition failed, no request sent)
 */
function uploadCycle(ctx, log, t, { records, mode = 'delta', outcome = 'ok', multiline = false, aad = null, tokenFirst = false }) {
  const W = 'CMGatewaySyncUploadWorker';
  const err = log.format === 'cmtrace' ? 3 : 1;
  const warn = log.format === 'cmtrace' ? 2 : 1;
  log.add(t - ctx.j(40, 90), SQL);
  let x = log.add(t, `Starting sync upload (${mode}).`);
  x = log.add(x + ctx.j(120, 400), `Batching ${records} records`);
  if (aad) {
    // token acquisition failed (AADSTS ...); logged before the request is attempted
    x = log.add(x + ctx.j(300, 900), `Failed to acquire access token for the gateway. Exception: ${ADAL_EX}: ${aad.text}${aadTail(x, aad.label)}`, { type: err });
  }
  if (outcome === 'token') {
    x = log.add(x + 20, 'Upload failed. Will retry at next run.', { type: err });
  } else {
    x = log.add(x + ctx.j(60, 200), req('UploadDelta_HelpdeskUpload', URL.post, 'POST', guid(`${ctx.name}:upload:${t}`)));
    if (outcome === 'ok') {
      x = log.add(x + ctx.j(600, 2600), resp('UploadDelta_HelpdeskUpload', URL.post, '200 (OK)'));
      x = log.add(x + ctx.j(20, 60), `Upload completed successfully. ${records} records uploaded.`);
    } else {
      x = log.add(x + ctx.j(300, 900), resp('UploadDelta_HelpdeskUpload', URL.post, '401 (Unauthorized)'), { type: warn });
      x = emitEx(log, x + 10, exBlock({ sev: 'Warning', worker: W, msg: 'The remote server returned an error: (401) Unauthorized.', response: GENERIC_RESP }), { multiline });
      x = log.add(x + 5, `[WebException]: Failed to upload data to '${URL.post}'`, { type: err });
      x = log.add(x + 5, 'Upload failed. Will retry at next run.', { type: err });
    }
  }
  x = log.add(x + ctx.j(10, 40), `Next run time will be at approximately: ${slashLocal(t + 15 * MIN, log.bias)}`);
  x = log.add(x + 5, 'Sleeping for 900 seconds');
  return t + 15 * MIN + ctx.j(100, 900); // next start
}

function uploadLoop(ctx, log, start, end, opts = {}) {
  let t = start;
  let n = 0;
  while (t < end) {
    const o = typeof opts === 'function' ? opts(t, n) : opts;
    t = uploadCycle(ctx, log, t, { records: o.records ?? ctx.int(2, 31), ...o });
    n++;
  }
  return t;
}

const PROXY_BODY = (title) => `<HTML><HEAD><TITLE>${title}</TITLE></HEAD><BODY>proxy01.contoso.com closed the idle upstream connection.</BODY></HTML>`;

/**
 * GetNotifications long-poll loop.
 * o.actions: [{ at | pendingSince, run(R) -> last time }]  (R = time of the 200 (OK) response)
 * o.outcome(i, t) -> '204' | '401' | '408' | '599' | 'closed' | 'timeout'
 * o.retryMs: wait after a 401; o.backoff(consecutiveFailures) -> ms to wait (0 = none)
 */
function pollLoop(ctx, log, start, end, o = {}) {
  const W = 'CMGatewayNotificationWorker';
  const ml = log.format === 'cmtrace';
  const warn = ml ? 2 : 1;
  const acts = [...(o.actions ?? [])];
  let t = start;
  let i = 0;
  let fails = 0;
  const webEx = (x, msg, response) => {
    x = log.add(x + 12, 'Web exception when getting new notification', { type: warn });
    return emitEx(log, x + 3, exBlock({ sev: 'Warning', worker: W, msg, response }), { multiline: ml, type: warn });
  };
  while (t < end) {
    log.add(t, req('GetNotifications', URL.notif, 'GET', guid(`${ctx.name}:poll:${start}:${i}`)));
    const a = acts[0];
    if (a && a.pendingSince != null && t >= a.pendingSince) {
      acts.shift();
      const R = log.add(t + ctx.j(500, 1100), resp('GetNotifications', URL.notif, '200 (OK)'));
      t = a.run(R) + ctx.j(150, 400); i++; fails = 0; continue;
    }
    const kind = o.outcome ? o.outcome(i, t) : '204';
    const dur = {
      204: ctx.j(118500, 119900), 401: ctx.j(250, 700), 408: ctx.j(60000, 60300), 599: ctx.j(60000, 60300),
      closed: ctx.j(60000, 60400), timeout: ctx.j(120000, 120060),
    }[kind];
    if (a && a.at != null && a.at <= t + dur) {
      acts.shift();
      const R = log.add(Math.max(a.at, t + 300), resp('GetNotifications', URL.notif, '200 (OK)'));
      t = a.run(R) + ctx.j(150, 400); i++; fails = 0; continue;
    }
    let r = t + dur;
    switch (kind) {
      case '204':
        log.add(r, resp('GetNotifications', URL.notif, '204 (NoContent)'));
        fails = 0;
        t = r + ctx.j(150, 450);
        break;
      case '401':
        log.add(r, resp('GetNotifications', URL.notif, '401 (Unauthorized)'), { type: warn });
        webEx(r, 'The remote server returned an error: (401) Unauthorized.', GENERIC_RESP);
        t = r + (o.retryMs ?? 2 * MIN) + ctx.j(100, 900);
        break;
      case '408':
        log.add(r, resp('GetNotifications', URL.notif, '408 (RequestTimeout)'), { type: warn });
        r = webEx(r, 'The remote server returned an error: (408) Request Timeout.', PROXY_BODY('408 Request Timeout'));
        fails++; t = r + ctx.j(200, 600);
        break;
      case '599':
        log.add(r, resp('GetNotifications', URL.notif, '599 (Network Connect Timeout Error)'), { type: warn });
        r = webEx(r, 'The remote server returned an error: (599) Network Connect Timeout Error.', PROXY_BODY('599 Network Connect Timeout Error'));
        fails++; t = r + ctx.j(200, 600);
        break;
      case 'closed':
        r = webEx(r, 'The underlying connection was closed: The connection was closed unexpectedly.');
        fails++; t = r + ctx.j(200, 600);
        break;
      case 'timeout':
        r = webEx(r, 'The operation has timed out');
        fails++; t = r + ctx.j(200, 600);
        break;
      default: throw new Error('unknown outcome ' + kind);
    }
    if (o.backoff && fails) {
      const wait = o.backoff(fails);
      if (wait) {
        log.add(t, `Too many consecutive failures. Waiting ${wait / SEC} seconds before the next notification request.`, { type: warn });
        t += wait; fails = 0;
      }
    }
    i++;
  }
  return t;
}

/** SCP side of a device action (Sync Machine Policy). Returns the forward time. */
function scpAction(log, R, { taskGuid, user = USER_JANE, authorized = true }) {
  log.add(R + 30, 'Received new notification. Validating basic notification details...');
  log.add(R + 70, 'Validating device action message content...');
  if (!authorized) {
    return log.add(R + 190, `Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID:  ${user}`, { type: log.format === 'cmtrace' ? 2 : 1 });
  }
  log.add(R + 200, `Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID: ${user}`);
  return log.add(R + 400, `Forwarded BGB remote task. TemplateID: 1 TaskGuid: ${taskGuid} TaskParam: TargetDeviceIDs: 1`);
}

/** Management point: push of one task. P = time of "Starting to send push task". */
function mpPush(bgb, P, { pushId, taskId, taskGuid, taskType = 1, taskParam = '', reportAt, reported = 1, failed = 0 }) {
  const G = taskGuid.toUpperCase();
  bgb.add(P - 140, 'Get one push message from database.');
  bgb.add(P, `Starting to send push task (PushID: ${pushId} TaskID: ${taskId} TaskGUID: ${G} TaskType: ${taskType} TaskParam: ${taskParam}) to 1 clients  with throttling (strategy: 1 param: 42)`);
  bgb.add(P + 160, `Finished sending push task (PushID: ${pushId} TaskID: ${taskId}) to 1 clients`);
  bgb.add(reportAt, `Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb${hex6(G)}.BTS at ${slashLocal(reportAt, bgb.bias)}. (PushID: ${pushId} ReportedClients: ${reported} FailedClients: ${failed})`,
    { type: failed && bgb.format === 'cmtrace' ? 2 : 1 });
}

/** Client side: task received (Rc) and response sent (Rs). */
function clientTask(cna, Rc, Rs, { pushId, taskId, taskGuid, taskType = 1, taskParam = '', rc = 1 }) {
  const G = taskGuid.toUpperCase();
  cna.add(Rc, `Receive task from server with pushid=${pushId}, taskid=${taskId}, taskguid=${G}, tasktype=${taskType} and taskParam=${taskParam}`);
  cna.add(Rs, `Send Task response message <BgbResponseMessage TimeStamp="${isoZ(Rs)}"><PushID>${pushId}</PushID><TaskID>${taskId}</TaskID><ReturnCode>${rc}</ReturnCode></BgbResponseMessage> successfully.`);
}

/** Full delivered chain for an action whose forward happened at F. */
function deliver(ctx, bgb, cna, F, ids) {
  const P = F + ctx.j(1700, 2300);
  const Rc = P + ctx.j(1500, 2200);
  const Rs = Rc + ctx.j(500, 900);
  mpPush(bgb, P, { ...ids, reportAt: Rs + ctx.j(25000, 40000) });
  clientTask(cna, Rc, Rs, ids);
}

/** Periodic noise lines. */
function every(log, start, end, step, msg, o = {}) {
  for (let t = start; t < end; t += step) log.add(t, typeof msg === 'function' ? msg(t) : msg, o);
}
const bgbNoise = (ctx, bgb, start, end, clients = 1834) =>
  every(bgb, start, end, 15 * MIN, () => `BGB server online client count: ${clients + ctx.int(-6, 6)}`);
const cnaNoise = (cna, start, end, mp = 'MP01.contoso.com') =>
  every(cna, start, end, 15 * MIN, `Send keep-alive message to ${mp}:10123 successfully.`);
const notifHeartbeat = (log, start, end) =>
  every(log, start, end, 30 * MIN, 'Notification worker heartbeat. Pending notifications: 0.', { thread: 4388 });

// ---------------------------------------------------------------- scenarios
const SCENARIOS = [];
const scenario = (name, readme, build) => SCENARIOS.push({ name, readme, build });

const INV_UPLOAD = '`Starting sync upload (delta).`/`(full).`, `[UploadDelta_HelpdeskUpload] Creating web request to: …/DevicePost …`, `… DevicePost is: 200 (OK)`, `Upload completed successfully. N records uploaded.`';
const INV_POLL = '`[GetNotifications] Creating web request to: …/Notification Method: GET …` (shape copied from the documented OnboardScenario line), `… Notification is: 204 (NoContent)` (BLOG401 paraphrase), `… Notification is: 200 (OK)` before a notification';
const INV_NOISE = 'noise lines (`SQL connection opened to …`, `Sleeping for 900 seconds`, `Notification worker heartbeat …`, `BGB server online client count: N`, `Send keep-alive message to MP01.contoso.com:10123 successfully.`)';

// 1 ------------------------------------------------------------------------------------------
scenario('healthy-day', [
  '# healthy-day',
  'Story: a normal working day (02-10-2026, 08:00-14:00 local) on a tenant-attached hierarchy: delta uploads every 15 minutes all succeed, the notification long poll answers 204 (NoContent) every ~2 minutes, and an admin runs Sync Machine Policy twice from the Intune admin center (09:47 and 12:31 local); both reach CLIENT042 and answer ReturnCode 1.',
  'Machines (all Pacific standard time, bias +480, all in this folder): SCP01 (CMGatewaySyncUploadWorker.log, CMGatewayNotificationWorker.lo_ = older part + CMGatewayNotificationWorker.log = newer part, split at 11:00 local), MP01 (BgbServer.log, CMTrace), CLIENT042 (CcmNotificationAgent.log, CMTrace). SCP logs use the server `$$<` format.',
  'Expected findings: none at warning or error level. Two complete action chains (TaskGuid case differs between SCP and MP/client), 24 successful upload cycles.',
  `Invented wording: ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 480;
  const S = U('2026-02-10T16:00:00Z');
  const E = S + 6 * HOUR;
  const up = ctx.log('CMGatewaySyncUploadWorker.log', { component: C.upload, bias, thread: TH.upload });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif, rotateAt: U('2026-02-10T19:00:00Z') });
  const bgb = ctx.log('BgbServer.log', { format: 'cmtrace', component: 'BgbServer', bias, thread: TH.bgb });
  const cna = ctx.log('CcmNotificationAgent.log', { format: 'cmtrace', component: 'BgbAgent', bias, thread: TH.cna });
  uploadLoop(ctx, up, S + 3 * MIN + 12417, E - 60 * SEC);
  const a1 = { pushId: 7, taskId: 8, taskGuid: guid('healthy-day:task1') };
  const a2 = { pushId: 8, taskId: 9, taskGuid: guid('healthy-day:task2') };
  notifHeartbeat(nw, S + 10 * MIN + 3300, E);
  pollLoop(ctx, nw, S + 41200, E, {
    actions: [
      { at: U('2026-02-10T17:47:21.318Z'), run: (R) => { const F = scpAction(nw, R, a1); deliver(ctx, bgb, cna, F, a1); return F; } },
      { at: U('2026-02-10T20:31:05.902Z'), run: (R) => { const F = scpAction(nw, R, a2); deliver(ctx, bgb, cna, F, a2); return F; } },
    ],
  });
  bgbNoise(ctx, bgb, S + 5 * MIN, E);
  cnaNoise(cna, S + 7 * MIN + 4100, E);
});

// 2 ------------------------------------------------------------------------------------------
scenario('proxy-cuts-long-poll', [
  '# proxy-cuts-long-poll',
  'Story: at 13:20 local (01-20-2026) a new proxy policy on proxy01.contoso.com closes idle connections after 60 s. The GetNotifications long poll (which the gateway holds open for up to 2 minutes) is cut about every minute: `The underlying connection was closed: The connection was closed unexpectedly.`, `The operation has timed out`, proxy answers `408 (RequestTimeout)` and `599`. After 6 failures in a row the worker backs off 5 minutes; a Sync Machine Policy requested at ~13:52 is only picked up by the first poll after the back-off (13:56:27) and is then delivered normally. Uploads (short requests) keep working.',
  'Machines (Eastern standard time, bias +300, all in this folder): SCP01 (CMGatewayNotificationWorker.log, CMGatewaySyncUploadWorker.log, server format), MP01 (BgbServer.log), CLIENT042 (CcmNotificationAgent.log).',
  'Expected findings: proxy-timeout (warning or error). Not expected: upload-failing, action-not-delivered.',
  `Invented wording: the back-off line \`Too many consecutive failures. Waiting 300 seconds before the next notification request.\`, the reason text \`599 (Network Connect Timeout Error)\`, the proxy HTML body after \`Response in the web exception:\`; the .NET WebException messages are standard .NET texts, not seen in ConfigMgr docs; ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 300;
  const S = U('2026-01-20T18:00:00Z');
  const E = S + 100 * MIN;
  const cut = U('2026-01-20T18:20:00Z');
  const up = ctx.log('CMGatewaySyncUploadWorker.log', { component: C.upload, bias, thread: TH.upload });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  const bgb = ctx.log('BgbServer.log', { format: 'cmtrace', component: 'BgbServer', bias, thread: TH.bgb });
  const cna = ctx.log('CcmNotificationAgent.log', { format: 'cmtrace', component: 'BgbAgent', bias, thread: TH.cna });
  uploadLoop(ctx, up, S + 6 * MIN + 2210, E - 30 * SEC);
  const a = { pushId: 31, taskId: 44, taskGuid: guid('proxy:task1') };
  const pattern = ['closed', '408', 'closed', 'timeout', '599', 'closed', 'closed', '408', 'closed', '599', 'timeout', 'closed'];
  let k = 0;
  notifHeartbeat(nw, S + 12 * MIN, E);
  pollLoop(ctx, nw, S + 18400, E, {
    outcome: (i, t) => (t < cut ? '204' : pattern[k++ % pattern.length]),
    backoff: (fails) => (fails >= 6 ? 5 * MIN : 0),
    actions: [{ pendingSince: U('2026-01-20T18:52:40Z'), run: (R) => { const F = scpAction(nw, R, a); deliver(ctx, bgb, cna, F, a); return F; } }],
  });
  bgbNoise(ctx, bgb, S + 4 * MIN, E, 911);
  cnaNoise(cna, S + 9 * MIN, E);
});

// 3 ------------------------------------------------------------------------------------------
scenario('missing-admin-consent', [
  '# missing-admin-consent',
  'Story: on 01-14-2026 (UTC site, bias +000) the admin runs the Cloud Attach wizard on SCP01 with an imported Entra app "ConfigMgr Tenant Attach" that never got admin consent. The console logs AADSTS65001 but the wizard finishes "green". From 09:45 every GetNotifications poll answers 401 (Unauthorized) with `[Warning][CMGatewayNotificationWorker]…(401) Unauthorized.`, and the first full upload fails with 401. At ~11:38 a Global Administrator clicks "Grant admin consent". The polls then answer 204 (NoContent) and the next full sync succeeds.',
  'Machines: SCP01 only (also runs the console), bias +000: CMGatewayNotificationWorker.log and CMGatewaySyncUploadWorker.log (server format), SmsAdminUI.log (CMTrace, the AADSTS65001 error is one multi-line entry).',
  'Expected findings: gateway-unauthorized, admin-consent-missing. Also expected: upload-failing (resolved from 11:46).',
  `Invented wording: all SmsAdminUI.log lines except the AADSTS65001 text (\`Cloud Attach Configuration Wizard …\`, \`Failed to get an access token for the imported app. …MsalUiRequiredException: …\`), \`Worker CMGatewayNotificationWorker started.\`, \`Upload failed. Will retry at next run.\`, ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 0;
  const S = U('2026-01-14T09:40:00Z');
  const consent = U('2026-01-14T11:38:20Z');
  const E = U('2026-01-14T12:30:00Z');
  const ui = ctx.log('SmsAdminUI.log', { format: 'cmtrace', component: 'SmsAdminUI', bias, thread: TH.ui });
  const up = ctx.log('CMGatewaySyncUploadWorker.log', { component: C.upload, bias, thread: TH.upload });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  ui.add(S + 62 * SEC + 114, `Cloud Attach Configuration Wizard: importing Microsoft Entra app 'ConfigMgr Tenant Attach' (client ID ${APP}) for tenant ${TENANT}.`);
  const tErr = S + 101 * SEC + 870;
  ui.add(tErr, `Failed to get an access token for the imported app. Microsoft.Identity.Client.MsalUiRequiredException: ${AADSTS.consent}${aadTail(tErr, 'consent-ui')}\n   at Microsoft.Identity.Client.Internal.Requests.RequestBase.<RunAsync>d__12.MoveNext()`, { type: 3 });
  ui.add(S + 135 * SEC + 402, 'Cloud Attach Configuration Wizard completed. Tenant attach is enabled for hierarchy PS1.');
  const start = U('2026-01-14T09:45:03.220Z');
  nw.seq(start - 900, ['Worker CMGatewayNotificationWorker started.', SQL], 40);
  up.seq(start - 700, ['Worker CMGatewaySyncUploadWorker started.'], 40);
  let fullDone = false;
  uploadLoop(ctx, up, start + 62 * SEC, E - 20 * SEC, (t) => {
    if (t < consent) return { mode: 'full', records: 1412, outcome: '401' };
    if (!fullDone) { fullDone = true; return { mode: 'full', records: 1412 }; }
    return { mode: 'delta' };
  });
  pollLoop(ctx, nw, start, E, { outcome: (i, t) => (t < consent ? '401' : '204'), retryMs: 2 * MIN });
});

// 4 ------------------------------------------------------------------------------------------
scenario('expired-secret', [
  '# expired-secret',
  'Story: the client secret of the imported Entra app expired on 02-03-2026 00:00 UTC (05:30 local, India standard time, bias -330). Imported apps give no console expiry warning. The cached gateway token lasts until ~06:17 local. From then on every token renewal fails with AADSTS7000222 (SMS_AZUREAD_DISCOVERY_AGENT.log and the SCP workers), DevicePost uploads answer 401 (Unauthorized) and fail, and GetNotifications answers 401.',
  'Machines: SCP01 only (bias -330, half-hour zone), server format: CMGatewaySyncUploadWorker.log, CMGatewayNotificationWorker.log, SMS_AZUREAD_DISCOVERY_AGENT.log. The AADSTS messages carry `~~Trace ID:…~~Correlation ID:…~~Timestamp:…` continuation lines.',
  'Expected findings: client-secret-expired, upload-failing, gateway-unauthorized.',
  `Invented wording: \`Failed to acquire access token for the gateway. Exception: …AdalServiceException: AADSTS…\`, \`ERROR: Failed to acquire token for tenant … Exception: …\`, \`ERROR: Delta discovery failed for tenant …\`, \`Starting delta discovery for tenant ….\`, \`Delta discovery completed. N users, M groups changed.\`, \`Upload failed. Will retry at next run.\`; ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = -330;
  const S = U('2026-02-02T23:00:00Z');
  const E = U('2026-02-03T03:00:00Z');
  const broken = U('2026-02-03T00:47:10Z');
  const up = ctx.log('CMGatewaySyncUploadWorker.log', { component: C.upload, bias, thread: TH.upload });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  const ad = ctx.log('SMS_AZUREAD_DISCOVERY_AGENT.log', { component: 'SMS_AZUREAD_DISCOVERY_AGENT', bias, thread: TH.aad });
  uploadLoop(ctx, up, S + 9 * MIN + 5120, E - 20 * SEC, (t) =>
    t < broken ? {} : { outcome: '401', aad: { text: AADSTS.expired, label: `exp-up-${t}` } });
  let n = 0;
  pollLoop(ctx, nw, S + 31 * SEC, E, {
    outcome: (i, t) => {
      if (t < broken) return '204';
      // the token renewal fails just before the request is sent (request goes out without a valid token)
      nw.add(t - 5, `Failed to acquire access token for the gateway. Exception: ${ADAL_EX}: ${AADSTS.expired}${aadTail(t, `exp-nw-${n++}`)}`);
      return '401';
    },
    retryMs: 5 * MIN,
  });
  for (let t = S + 2 * MIN + 700; t < E; t += 5 * MIN + ctx.j(0, 800)) {
    ad.add(t, `Starting delta discovery for tenant ${TENANT}.`);
    if (t < broken) ad.add(t + ctx.j(900, 3000), `Delta discovery completed. ${ctx.int(0, 4)} users, ${ctx.int(0, 1)} groups changed.`);
    else {
      const x = ad.add(t + ctx.j(300, 700), `ERROR: Failed to acquire token for tenant ${TENANT}. Exception: ${ADAL_EX}: ${AADSTS.expired}${aadTail(t, `exp-ad-${t}`)}`);
      ad.add(x + 8, `ERROR: Delta discovery failed for tenant ${TENANT}. Will retry in 5 minutes.`);
    }
  }
});

// 5 ------------------------------------------------------------------------------------------
scenario('invalid-secret', [
  '# invalid-secret',
  'Story: on 01-27-2026 at 10:05 local (Central standard time, bias +360) an admin "renewed" the imported app secret and pasted the secret ID instead of the secret value. SMS_AZUREAD_DISCOVERY_AGENT.log fails at its next run. The SCP workers fail once their cached token expires (~10:52): AADSTS7000215 and no gateway request. Uploads stop with `Upload failed. Will retry at next run.`, and the notification worker cannot poll.',
  'Machines: SCP01 only, bias +360, server format: CMGatewaySyncUploadWorker.log, CMGatewayNotificationWorker.log, SMS_AZUREAD_DISCOVERY_AGENT.log (the secret change itself is logged there as `Application secret for tenant … was updated …`).',
  'Expected findings: client-secret-invalid. Also expected: upload-failing. Not expected: client-secret-expired, gateway-unauthorized (no 401 ever comes back, no request is sent).',
  `Invented wording: \`Failed to acquire access token for the gateway. Exception: …\`, \`Waiting 300 seconds before retrying the notification request.\`, \`Application secret for tenant … was updated by CONTOSO\\\\jane.admin.\`, the discovery lines as in expired-secret, \`Upload failed. Will retry at next run.\`; ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 360;
  const S = U('2026-01-27T15:30:00Z');
  const changed = U('2026-01-27T16:05:12Z');
  const broken = U('2026-01-27T16:52:31Z');
  const E = U('2026-01-27T18:00:00Z');
  const up = ctx.log('CMGatewaySyncUploadWorker.log', { component: C.upload, bias, thread: TH.upload });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  const ad = ctx.log('SMS_AZUREAD_DISCOVERY_AGENT.log', { component: 'SMS_AZUREAD_DISCOVERY_AGENT', bias, thread: TH.aad });
  uploadLoop(ctx, up, S + 4 * MIN + 880, E - 20 * SEC, (t) =>
    t < broken ? {} : { outcome: 'token', aad: { text: AADSTS.invalid, label: `inv-up-${t}` } });
  // notification worker: polls until the token breaks, then token failures every 5 minutes
  const tEnd = pollLoop(ctx, nw, S + 52 * SEC, broken, {});
  for (let t = tEnd + 200, n = 0; t < E; t += 5 * MIN + ctx.j(100, 700), n++) {
    const x = nw.add(t, `Failed to acquire access token for the gateway. Exception: ${ADAL_EX}: ${AADSTS.invalid}${aadTail(t, `inv-nw-${n}`)}`);
    nw.add(x + 6, 'Waiting 300 seconds before retrying the notification request.');
  }
  ad.add(changed, `Application secret for tenant ${TENANT} was updated by CONTOSO\\jane.admin.`);
  for (let t = S + 3 * MIN + 310; t < E; t += 5 * MIN + ctx.j(0, 800)) {
    ad.add(t, `Starting delta discovery for tenant ${TENANT}.`);
    if (t < changed) ad.add(t + ctx.j(900, 3000), `Delta discovery completed. ${ctx.int(0, 4)} users, ${ctx.int(0, 1)} groups changed.`);
    else {
      const x = ad.add(t + ctx.j(300, 700), `ERROR: Failed to acquire token for tenant ${TENANT}. Exception: ${ADAL_EX}: ${AADSTS.invalid}${aadTail(t, `inv-ad-${t}`)}`);
      ad.add(x + 8, `ERROR: Delta discovery failed for tenant ${TENANT}. Will retry in 5 minutes.`);
    }
  }
});

// 6 ------------------------------------------------------------------------------------------
scenario('broken-onboarding', [
  '# broken-onboarding',
  'Story: after SCP01 was rebuilt, the hierarchy was onboarded a second time (02-05-2026, Brisbane, AEST bias -600). The service rejects the onboarding record. GenericUploadWorker gets `AccountOnboardingInfo is: 400 (Bad Request)` plus the Critical WebException block, and its `DevicePost` answers 401 (Unauthorized). The notification worker gets `Notification is: 401 (Unauthorized)`. The documented fix is to offboard, wait at least 2 h, and onboard again.',
  'Machines: SCP01 only, bias -600. These SCP logs are in CMTrace format (component SMS_SERVICE_CONNECTOR_<Worker>). Each exception block is ONE multi-line CMTrace entry (type 3 or 2): GenericUploadWorker.log, CMGatewayNotificationWorker.log.',
  'Expected findings: onboarding-bad-request, gateway-unauthorized. Also acceptable: upload-failing (DevicePost upload fails in GenericUploadWorker).',
  `Invented wording: GenericUploadWorker cadence (every 15 min) and the noise line \`GenericUploadWorker: starting onboarding check.\`, \`Sleeping for 900 seconds\`, the CMTrace severities (type 2/3) chosen for these lines; ${INV_POLL}.`,
], (ctx) => {
  const bias = -600;
  const S = U('2026-02-05T04:00:00Z');
  const E = U('2026-02-05T06:00:00Z');
  const gw = ctx.log('GenericUploadWorker.log', { format: 'cmtrace', component: C.generic, bias, thread: TH.generic });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { format: 'cmtrace', component: C.notif, bias, thread: TH.notif });
  for (let t = S + 2 * MIN + 4410, n = 0; t < E; t += 15 * MIN + ctx.j(100, 900), n++) {
    const act = guid(`onb:act:${n}`);
    gw.add(t - 60, SQL);
    let x = gw.add(t, 'GenericUploadWorker: starting onboarding check.');
    x = gw.add(x + 30, req('OnboardScenario', URL.onboard, 'POST', act));
    x = gw.add(x + ctx.j(400, 1200), resp('OnboardScenario', URL.onboard, '400 (Bad Request)'), { type: 2 });
    x = gw.add(x + 4, `Response status code: 400 (BadRequest) Activity ID: ${act}`, { type: 2 });
    x = gw.add(x + 6, 'Unexpected exception for worker GenericUploadWorker', { type: 3 });
    x = emitEx(gw, x + 2, exBlock({ sev: 'Critical', worker: 'GenericUploadWorker', msg: 'The remote server returned an error: (400) Bad Request.', response: GENERIC_RESP }), { multiline: true, type: 3 });
    const act2 = guid(`onb:post:${n}`);
    x = gw.add(x + ctx.j(300, 800), req('UploadDelta_HelpdeskUpload', URL.post, 'POST', act2));
    x = gw.add(x + ctx.j(300, 900), resp('UploadDelta_HelpdeskUpload', URL.post, '401 (Unauthorized)'), { type: 2 });
    x = gw.add(x + 4, `Response status code: 401 (Unauthorized) Activity ID: ${act2}`, { type: 2 });
    x = gw.add(x + 5, `[WebException]: Failed to upload data to '${URL.post}'`, { type: 3 });
    gw.add(x + 20, 'Sleeping for 900 seconds');
  }
  pollLoop(ctx, nw, S + 20 * SEC, E, { outcome: () => '401', retryMs: 5 * MIN });
});

// 7 ------------------------------------------------------------------------------------------
scenario('unauthorized-action', [
  '# unauthorized-action',
  'Story: on 01-22-2026 (Eastern standard time, bias +300) jane.admin runs Sync Machine Policy at 09:05 local. It is authorized, forwarded and delivered. At 09:41 and 09:44 bob.helpdesk, who has the Intune role but no ConfigMgr permission, tries the same action. The SCP logs `Unauthorized to perform client action … AADUserID:  <guid>` (two spaces, as in the docs) and forwards nothing.',
  'Machines (bias +300, all in this folder): SCP01 (CMGatewayNotificationWorker.log, server format), MP01 (BgbServer.log), CLIENT042 (CcmNotificationAgent.log).',
  'Expected findings: action-unauthorized (twice, user ' + USER_BOB + '). The jane.admin chain is complete: no action-not-delivered.',
  `Invented wording: ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 300;
  const S = U('2026-01-22T13:30:00Z');
  const E = U('2026-01-22T15:30:00Z');
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  const bgb = ctx.log('BgbServer.log', { format: 'cmtrace', component: 'BgbServer', bias, thread: TH.bgb });
  const cna = ctx.log('CcmNotificationAgent.log', { format: 'cmtrace', component: 'BgbAgent', bias, thread: TH.cna });
  const a1 = { pushId: 112, taskId: 140, taskGuid: guid('unauth:task1') };
  notifHeartbeat(nw, S + 14 * MIN, E);
  pollLoop(ctx, nw, S + 27 * SEC, E, {
    actions: [
      { at: U('2026-01-22T14:05:33.120Z'), run: (R) => { const F = scpAction(nw, R, a1); deliver(ctx, bgb, cna, F, a1); return F; } },
      { at: U('2026-01-22T14:41:09.554Z'), run: (R) => scpAction(nw, R, { user: USER_BOB, authorized: false }) },
      { at: U('2026-01-22T14:44:51.007Z'), run: (R) => scpAction(nw, R, { user: USER_BOB, authorized: false }) },
    ],
  });
  bgbNoise(ctx, bgb, S + 3 * MIN, E, 2410);
  cnaNoise(cna, S + 8 * MIN, E);
});

// 8 ------------------------------------------------------------------------------------------
scenario('cert-subject-mismatch', [
  '# cert-subject-mismatch',
  'Story: the site (02-12-2026, Helsinki, EET bias -120) still runs a build without the 2203 update rollup KB14244456. The gateway now signs notifications with the new public certificate, whose subject no longer has OU=Microsoft Corporation. Every notification is dropped: `Error occured when process notification with notification Id <guid>. Ignore the notification.`, followed by `Failed to check and load service signing certificate. System.ArgumentException: Mismatch certificate subject name` with the AccountOnboardingWorker stack. Three admin actions (10:22, 10:24, 11:15 local) never get forwarded.',
  'Machines: SCP01 only, bias -120. CMGatewayNotificationWorker.log in CMTrace format. The exception with its stack is one multi-line entry (type 3).',
  'Expected findings: service-cert-subject-mismatch.',
  `Invented wording: the stack frames after the first \`at …AccountOnboardingWorker.<RefreshServiceSigningCertificateIfNotExistsAsync>d__31.MoveNext()\` line, the CMTrace severities; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = -120;
  const S = U('2026-02-12T08:00:00Z');
  const E = U('2026-02-12T10:00:00Z');
  const nw = ctx.log('CMGatewayNotificationWorker.log', { format: 'cmtrace', component: C.notif, bias, thread: TH.notif });
  const drop = (R) => {
    nw.add(R + 30, 'Received new notification. Validating basic notification details...');
    nw.add(R + 95, `Error occured when process notification with notification Id ${guid(`cert:notif:${R}`)}. Ignore the notification.`, { type: 3 });
    return nw.add(R + 97, [
      'Failed to check and load service signing certificate. System.ArgumentException: Mismatch certificate subject name',
      '   at Microsoft.ConfigurationManager.ServiceConnector.AccountOnboardingWorker.<RefreshServiceSigningCertificateIfNotExistsAsync>d__31.MoveNext()',
      '--- End of stack trace from previous location where exception was thrown ---',
      '   at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw()',
      '   at System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification(Task task)',
      '   at Microsoft.ConfigurationManager.ServiceConnector.CMGatewayNotificationWorker.<ProcessNotificationAsync>d__24.MoveNext()',
    ].join('\n'), { type: 3 });
  };
  notifHeartbeat(nw, S + 11 * MIN, E);
  pollLoop(ctx, nw, S + 35 * SEC, E, {
    actions: [
      { at: U('2026-02-12T08:22:40.410Z'), run: drop },
      { at: U('2026-02-12T08:24:02.950Z'), run: drop },
      { at: U('2026-02-12T09:15:17.631Z'), run: drop },
    ],
  });
});

// 9 ------------------------------------------------------------------------------------------
scenario('stale-sql-connection', [
  '# stale-sql-connection',
  'Story: SQL Server CMSQL01 was patched and restarted at 07:55 local (01-29-2026, Pacific standard time, bias +480). The SCP (a 2103 site) keeps its broken pooled connection. From 08:02 to 09:06 every admin-center request for client details fails in CMGatewayNotificationWorker: `[Critical][CMGatewayNotificationWorker][0][System.InvalidOperationException][0x80131509]` / `ExecuteReader requires an open and available Connection. The connection\'s current state is closed.`. At 09:20 SMS_EXECUTIVE is restarted and the worker starts cleanly.',
  'Machines: SCP01 only, bias +480, server format: CMGatewayNotificationWorker.log (exception blocks as consecutive `$$<` lines).',
  'Expected findings: scp-stale-sql-connection (repeated for about an hour).',
  `Invented wording: \`Worker CMGatewayNotificationWorker started.\`, \`Worker CMGatewayNotificationWorker is stopping (SMS_EXECUTIVE shutdown).\`, the stack frame after ExecuteReader; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 480;
  const S = U('2026-01-29T15:30:00Z');
  const restart = U('2026-01-29T17:20:04Z');
  const E = U('2026-01-29T17:40:00Z');
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  const fail = (R) => {
    nw.add(R + 30, 'Received new notification. Validating basic notification details...');
    return emitEx(nw, R + 48, exBlock({
      sev: 'Critical', worker: 'CMGatewayNotificationWorker', type: 'System.InvalidOperationException',
      msg: "ExecuteReader requires an open and available Connection. The connection's current state is closed.",
      frame: 'System.Data.SqlClient.SqlConnection.GetOpenConnection(String method)',
    }));
  };
  const actions = [];
  for (let t = U('2026-01-29T16:02:11Z'); t < U('2026-01-29T17:06:30Z'); t += ctx.j(3 * MIN, 7 * MIN)) actions.push({ at: t, run: fail });
  notifHeartbeat(nw, S + 9 * MIN, restart);
  pollLoop(ctx, nw, S + 44 * SEC, restart - 3 * MIN, { actions });
  nw.add(restart - 50 * SEC, 'Worker CMGatewayNotificationWorker is stopping (SMS_EXECUTIVE shutdown).');
  nw.seq(restart, ['Worker CMGatewayNotificationWorker started.', SQL], 55);
  pollLoop(ctx, nw, restart + 1200, E, {});
});

// 10 -----------------------------------------------------------------------------------------
scenario('stalled-uploads', [
  '# stalled-uploads',
  'Story: on 02-19-2026 (Arizona, Mountain standard time, bias +420) CMGatewaySyncUploadWorker uploads every 15 minutes until 09:04 local. Its last line says `Next run time will be at approximately: 02/19/2026 09:19:…`, and then it writes nothing more: the worker thread hung. CMGatewayNotificationWorker keeps polling (204 NoContent) until 11:45, so the SCP itself is alive. No upload for about 2 h 40 min.',
  'Machines: SCP01 only, bias +420, server format: CMGatewaySyncUploadWorker.log, CMGatewayNotificationWorker.log.',
  'Expected findings: upload-stalled (last expected run 09:19 local = 16:19 UTC, logs continue until 18:45 UTC).',
  `Invented wording: ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}.`,
], (ctx) => {
  const bias = 420;
  const S = U('2026-02-19T13:00:00Z');
  const lastCycle = U('2026-02-19T16:05:00Z');
  const E = U('2026-02-19T18:45:00Z');
  const up = ctx.log('CMGatewaySyncUploadWorker.log', { component: C.upload, bias, thread: TH.upload });
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  uploadLoop(ctx, up, S + 4 * MIN + 12870, lastCycle);
  notifHeartbeat(nw, S + 20 * MIN, E);
  pollLoop(ctx, nw, S + 14 * SEC, E, {});
});

// 11 -----------------------------------------------------------------------------------------
scenario('action-never-reaches-client', [
  '# action-never-reaches-client',
  'Story: on 02-24-2026 (Central standard time, bias +360) jane.admin runs Sync Machine Policy on CLIENT042 at 13:37 local. SCP01 authorizes and forwards it, and MP01 (component SMS_NOTIFICATION_SERVER) pushes it to 1 client. At 13:21 CLIENT042 had moved its notification session to MP02 after a network change, but MP01 still listed it as online, so the push went to a dead session. CcmNotificationAgent.log covers 13:00-14:30 with keep-alives and has no `Receive task` line. Five minutes later MP01 reports `ReportedClients: 0 FailedClients: 1`.',
  'Machines (bias +360, all in this folder): SCP01 (CMGatewayNotificationWorker.log, server format), MP01 (BgbServer.log, CMTrace, component SMS_NOTIFICATION_SERVER), CLIENT042 (CcmNotificationAgent.log).',
  'Expected findings: action-not-delivered (TaskGuid ' + guid('lost:task1') + ').',
  `Invented wording: ${INV_POLL}; ${INV_NOISE}; \`Notification agent is connected to MP0x.contoso.com:10123 (TCP).\`.`,
], (ctx) => {
  const bias = 360;
  const S = U('2026-02-24T19:00:00Z');
  const E = U('2026-02-24T20:30:00Z');
  const nw = ctx.log('CMGatewayNotificationWorker.log', { component: C.notif, bias, thread: TH.notif });
  const bgb = ctx.log('BgbServer.log', { format: 'cmtrace', component: 'SMS_NOTIFICATION_SERVER', bias, thread: TH.bgb });
  const cna = ctx.log('CcmNotificationAgent.log', { format: 'cmtrace', component: 'BgbAgent', bias, thread: TH.cna });
  const a = { pushId: 57, taskId: 63, taskGuid: guid('lost:task1') };
  notifHeartbeat(nw, S + 6 * MIN, E);
  pollLoop(ctx, nw, S + 48 * SEC, E, {
    actions: [{
      at: U('2026-02-24T19:37:44.201Z'), run: (R) => {
        const F = scpAction(nw, R, a);
        const P = F + 2050;
        mpPush(bgb, P, { ...a, reportAt: P + 5 * MIN + 312, reported: 0, failed: 1 });
        return F;
      },
    }],
  });
  bgbNoise(ctx, bgb, S + 2 * MIN, E, 655);
  const moved = U('2026-02-24T19:21:37.402Z');
  cna.add(S + 61 * SEC + 118, 'Notification agent is connected to MP01.contoso.com:10123 (TCP).');
  cnaNoise(cna, S + 4 * MIN + 2200, moved);
  cna.add(moved, 'Notification agent is connected to MP02.contoso.com:10123 (TCP).');
  cnaNoise(cna, moved + 15 * MIN, E, 'MP02.contoso.com');
});

// 12 -----------------------------------------------------------------------------------------
scenario('multi-site-three-zones', [
  '# multi-site-three-zones',
  'Story: healthy. On 02-17-2026 one Sync Machine Policy crosses three time zones: forward on SCP01 at 10:00:05 UTC (02:00:05 local, bias +480, Pacific standard), push on MP01 at 10:00:07 UTC (11:00:07 local, bias -60, CET, written `-60` as real ConfigMgr does), received on CLIENT042 at 10:00:09 UTC (12:00:09 local, bias -120, EET), response at 10:00:10 UTC (TimeStamp="2026-02-17T10:00:10Z"). Read as local times with no bias, the chain spans 10 hours and sorts wrongly against the other machines\' lines. Only the UTC times line up.',
  'A CMPivot query (TaskType 15, TaskParam = base64 of the ScriptContent XML for ScriptGuid 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14) reaches CLIENT042 at 10:42 UTC, and Scripts.log sends the result on the fast channel. SmsProv.log on SCP01 has the audit line `initiated client operation 145`.',
  'Folders: SCP01/ (CMGatewayNotificationWorker.log, CMGatewaySyncUploadWorker.lo_ + .log rotated at 02:15 local, SmsProv.log; server format), MP01/ (BgbServer.log, CMTrace), CLIENT042/ (CcmNotificationAgent.log in UTF-16LE with BOM, CRLF; Scripts.log in UTF-8).',
  'Expected findings: none at warning or error level. Two complete chains (one RequestMachinePolicy, one CMPivot).',
  `Invented wording: ${INV_UPLOAD}; ${INV_POLL}; ${INV_NOISE}; Scripts.log \`Running CMPivot script … for TaskID …\` (the two result lines are documented); TaskParam is base64 of UTF-8 text, not UTF-16LE, because Microsoft's CMPivot doc sample (\`PFNjcmlwdENvbnRlbnQgU2NyaXB0R3VpZD0nN0RDNkI2RjEt…\`) decodes as ASCII.`,
], (ctx) => {
  const S = U('2026-02-17T09:00:00Z');
  const E = U('2026-02-17T11:30:00Z');
  const nw = ctx.log('SCP01/CMGatewayNotificationWorker.log', { component: C.notif, bias: 480, thread: TH.notif });
  const up = ctx.log('SCP01/CMGatewaySyncUploadWorker.log', { component: C.upload, bias: 480, thread: TH.upload, rotateAt: U('2026-02-17T10:15:00Z') });
  const prov = ctx.log('SCP01/SmsProv.log', { component: 'SMS Provider', bias: 480, thread: TH.prov });
  const bgb = ctx.log('MP01/BgbServer.log', { format: 'cmtrace', component: 'BgbServer', bias: -60, biasStyle: 'short', thread: TH.bgb });
  const cna = ctx.log('CLIENT042/CcmNotificationAgent.log', { format: 'cmtrace', component: 'BgbAgent', bias: -120, thread: TH.cna, encoding: 'utf16le', fileAttr: 'bgbconnector.cpp:386' });
  const scr = ctx.log('CLIENT042/Scripts.log', { format: 'cmtrace', component: 'Scripts', bias: -120, thread: TH.scripts });

  uploadLoop(ctx, up, S + 3 * MIN + 40511, E - 20 * SEC);
  // Sync Machine Policy with fixed hop times
  const a = { pushId: 7, taskId: 8, taskGuid: guid('multi:task1') };
  const F = U('2026-02-17T10:00:05.112Z');
  notifHeartbeat(nw, S + 13 * MIN, E);
  pollLoop(ctx, nw, S + 22 * SEC, E, {
    actions: [{ at: F - 400, run: (R) => scpAction(nw, R, a) }],
  });
  const P = U('2026-02-17T10:00:07.046Z');
  const Rc = U('2026-02-17T10:00:09.377Z');
  const Rs = U('2026-02-17T10:00:10.215Z');
  mpPush(bgb, P, { ...a, reportAt: U('2026-02-17T10:00:41.530Z') });
  clientTask(cna, Rc, Rs, a);
  // CMPivot
  const q = { pushId: 8, taskId: 9, taskGuid: guid('multi:cmpivot'), taskType: 15, taskParam: CMPIVOT_PARAM };
  const Q = U('2026-02-17T10:42:10.644Z');
  prov.add(Q - 900, `Auditing: User CONTOSO\\jane.admin initiated client operation 145 to collection SMS00001.`);
  const Pq = Q + 3410;
  const Rcq = Pq + 2120;
  const Rsq = Rcq + 540;
  mpPush(bgb, Pq, { ...q, reportAt: Rsq + 31250 });
  clientTask(cna, Rcq, Rsq, q);
  const TG = `{${q.taskGuid.toUpperCase()}}`;
  scr.add(Rcq + 1310, `Running CMPivot script ${CMPIVOT_GUID} for TaskID: ${TG}`);
  scr.add(Rcq + 3870, `Sending script state message (fast): ${TG}`);
  scr.add(Rcq + 4020, `Result are sent for ScriptGuid: ${CMPIVOT_GUID} and TaskID: ${TG}`);
  bgbNoise(ctx, bgb, S + 6 * MIN, E, 3120);
  cnaNoise(cna, S + 2 * MIN + 9000, E);
  prov.add(S + 5 * MIN + 2201, 'SMS Provider is connected to SQL Server CMSQL01.contoso.com, database CM_PS1.');
  prov.add(E - 4 * MIN - 1702, 'SMS Provider is connected to SQL Server CMSQL01.contoso.com, database CM_PS1.');
});

// 13 -----------------------------------------------------------------------------------------
scenario('adminservice-sql-timeout', [
  '# adminservice-sql-timeout',
  'Story: on 01-08-2026 (Pacific standard time, bias +480) admins open the Applications blade for tenant-attached devices in the Intune admin center. The administration service query runs longer than 30 s three times and fails with the documented trio: EntityCommandExecutionException, then `SqlException: Execution Timeout Expired.`, then `Win32Exception: The wait operation timed out`. The admin center shows "Unexpected error occurred" (500). The documented fix is KB4576782.',
  'Machines: SCP01 (also SMS Provider), bias +480: AdminService.log in server format. Two occurrences are .NET ToString() text with `~~` line breaks, and one is logged as three separate lines.',
  'Expected findings: adminservice-sql-timeout.',
  'Invented wording: `Request GET /AdminService/v1.0/Device(…)/… from CONTOSO\\\\jane.admin`, `Request completed with status code 200 (OK) in N ms.`, `Request failed with status code 500 (InternalServerError) after N ms.`, the `Exception: ` prefix and stack frames.',
], (ctx) => {
  const bias = 480;
  const S = U('2026-01-08T18:00:00Z');
  const E = U('2026-01-08T19:00:00Z');
  const as = ctx.log('AdminService.log', { component: 'AdminService', bias, thread: TH.admin });
  const trio = [
    'System.Data.Entity.Core.EntityCommandExecutionException: An error occurred while executing the command definition. See the inner exception for details.',
    'System.Data.SqlClient.SqlException: Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
    'System.ComponentModel.Win32Exception: The wait operation timed out',
  ];
  const devs = [16777231, 16777245, 16777302, 16777231, 16777410, 16777245, 16777231, 16777388];
  const fails = new Set([2, 4, 6]);
  let t = S + 3 * MIN + 118;
  devs.forEach((dev, i) => {
    const route = fails.has(i) || i % 2 === 0 ? 'ApplicationsDetails' : 'ClientDetails';
    as.add(t, `Request GET /AdminService/v1.0/Device(${dev})/${route} from CONTOSO\\jane.admin`);
    if (!fails.has(i)) {
      const ms = ctx.int(300, 2400);
      as.add(t + ms, `Request completed with status code 200 (OK) in ${ms} ms.`);
    } else {
      const x = t + 30000 + ctx.int(5, 40);
      if (i !== 4) {
        as.add(x, `Exception: ${trio[0]} ---> ${trio[1]} ---> ${trio[2]}\n   --- End of inner exception stack trace ---\n   at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection, Action\`1 wrapCloseInAction)\n   --- End of inner exception stack trace ---\n   at System.Data.Entity.Core.EntityClient.Internal.EntityCommandDefinition.ExecuteStoreCommands(EntityCommand entityCommand, CommandBehavior behavior)`);
      } else {
        as.seq(x, trio, 2);
      }
      as.add(x + 40, `Request failed with status code 500 (InternalServerError) after ${x + 40 - t} ms.`);
    }
    t += ctx.j(4 * MIN, 9 * MIN);
  });
});

// 14 -----------------------------------------------------------------------------------------
scenario('endpoint-checks-failing', [
  '# endpoint-checks-failing',
  'Story: on 02-26-2026 (Eastern standard time, bias +300) the SCP\'s hourly internet endpoint check fails. proxy01.contoso.com asks for authentication (407) on the gateway URLs. A TLS-inspecting appliance answers 426 (Upgrade Required) for dc.services.visualstudio.com. The CRL host crl3.digicert.com is blocked (network connection timeout). Each run ends with status message 11412 "One or more critical failures occurred".',
  'Machines: SCP01 only, bias +300: EndpointConnectivityCheckWorker.log (server format). The first run also logs a WebException block for the 407.',
  'Expected findings: proxy-auth-required, tls-failure, network-blocked.',
  'Invented wording: every line of this log except the documented status text `One or more critical failures occurred` and the .NET message `The remote server returned an error: (407) Proxy Authentication Required.` (`Starting endpoint connectivity check …`, `Connectivity check to <url> succeeded/failed …`, `Endpoint connectivity check completed. Raised status message 11412 …`), and the hourly cadence.',
], (ctx) => {
  const bias = 300;
  const S = U('2026-02-26T11:00:00Z');
  const ec = ctx.log('EndpointConnectivityCheckWorker.log', { component: C.endpoint, bias, thread: TH.endpoint });
  const checks = [
    ['https://aka.ms/configmgrgateway', 407],
    ['https://us.gateway.configmgr.manage.microsoft.com', 407],
    ['https://login.microsoftonline.com', 200],
    ['https://dc.services.visualstudio.com', 426],
    ['http://crl3.digicert.com', 'timeout'],
    ['http://ocsp.digicert.com', 200],
    ['http://crl.microsoft.com', 200],
  ];
  for (let run = 0; run < 3; run++) {
    let t = S + run * HOUR + 12 * SEC + ctx.int(0, 900);
    ec.add(t, `Starting endpoint connectivity check. ${checks.length} endpoints to check.`);
    for (const [url, r] of checks) {
      t += ctx.j(150, 900);
      if (r === 200) ec.add(t, `Connectivity check to ${url} succeeded. Status code: 200 (OK).`);
      else if (r === 407) {
        ec.add(t, `Connectivity check to ${url} failed. Unexpected status code: 407 (ProxyAuthenticationRequired). May indicate a proxy issue.`);
        if (run === 0 && url.includes('aka.ms')) {
          t = emitEx(ec, t + 3, exBlock({ sev: 'Warning', worker: 'EndpointConnectivityCheckWorker', msg: 'The remote server returned an error: (407) Proxy Authentication Required.', response: '<HTML><HEAD><TITLE>407 Proxy Authentication Required</TITLE></HEAD></HTML>' }));
        }
      } else if (r === 426) ec.add(t, `Connectivity check to ${url} failed. Unexpected status code: 426 (UpgradeRequired). May indicate a TLS misconfiguration.`);
      else { t += 21000; ec.add(t, `Connectivity check to ${url} failed. Network connection timeout: Unable to connect to the remote server`); }
    }
    ec.add(t + 40, 'Endpoint connectivity check completed. Raised status message 11412: One or more critical failures occurred.');
    ec.add(t + 60, 'Sleeping for 3600 seconds');
  }
});

// ---------------------------------------------------------------- top-level README
function topReadme() {
  const rows = [
    ['healthy-day', 'Normal day: uploads every 15 min, 204 polls, 2 Sync Machine Policy actions delivered; rotated `.lo_`/`.log` pair', '(none: no warning/error)', 'upload start/success lines, GetNotifications request/204/200 lines, noise'],
    ['proxy-cuts-long-poll', 'Proxy cuts the long poll every ~60 s (closed / timed out / 408 / 599); back-off delays one action', 'proxy-timeout', 'back-off line, `599 (Network Connect Timeout Error)`, proxy HTML bodies'],
    ['missing-admin-consent', 'Imported app without admin consent: 401 polls and uploads, AADSTS65001 in SmsAdminUI.log, then 204 after consent', 'gateway-unauthorized, admin-consent-missing (+ upload-failing, resolved)', 'SmsAdminUI wizard lines, worker start lines'],
    ['expired-secret', 'Client secret expired: AADSTS7000222 in discovery + SCP workers, DevicePost 401, Notification 401', 'client-secret-expired, upload-failing, gateway-unauthorized', 'token-failure and discovery lines'],
    ['invalid-secret', 'Secret ID pasted instead of value: AADSTS7000215, uploads fail before any request', 'client-secret-invalid (+ upload-failing)', 'token-failure, retry and secret-updated lines'],
    ['broken-onboarding', 'Hierarchy onboarded twice: AccountOnboardingInfo 400 + Critical block, DevicePost 401, Notification 401 (CMTrace SCP logs, multi-line exception entries)', 'onboarding-bad-request, gateway-unauthorized (+ upload-failing acceptable)', 'GenericUploadWorker cadence/noise, CMTrace severities'],
    ['unauthorized-action', 'Helpdesk user without ConfigMgr rights: `Unauthorized to perform client action` twice, no forward; one authorized action delivered', 'action-unauthorized', 'polling lines'],
    ['cert-subject-mismatch', 'Pre-2203-UR site: notifications dropped with `Mismatch certificate subject name` (CMTrace, multi-line stack)', 'service-cert-subject-mismatch', 'later stack frames'],
    ['stale-sql-connection', 'Stale pooled SQL connection on the SCP for an hour, fixed by SMS_EXECUTIVE restart', 'scp-stale-sql-connection', 'worker start/stop lines'],
    ['stalled-uploads', 'Upload worker stops after 09:04 local; notification worker keeps polling for 2 h 40 min', 'upload-stalled', 'upload start/success lines'],
    ['action-never-reaches-client', 'Forwarded and pushed, but the client never receives it; BGB report ReportedClients 0 / FailedClients 1', 'action-not-delivered', 'client connection line'],
    ['multi-site-three-zones', 'Healthy chain across bias +480 / -60 / -120 (UTF-16LE client log), plus a CMPivot (TaskType 15) round trip with Scripts.log', '(none: no warning/error)', 'Scripts.log `Running CMPivot script …`'],
    ['adminservice-sql-timeout', 'AdminService.log SQL timeout trio (3 times) behind the Applications blade', 'adminservice-sql-timeout', 'AdminService request/response lines'],
    ['endpoint-checks-failing', 'Endpoint checks: 407 proxy auth, 426 TLS, CRL host timeout, status 11412', 'proxy-auth-required, tls-failure, network-blocked', 'all check lines except the 11412 text'],
  ];
  return [
    '# attachscope sample logs',
    '',
    'Generated by `node sample-logs/make-samples.mjs` (deterministic; do not hand-edit, change the generator and re-run).',
    'Each folder holds the logs as copied from the machines plus a README.md (story, machines and biases, expected rule ids, invented wording).',
    'All files use CRLF. Bias is in minutes, UTC = local + bias. Fixed fake tenant `' + TENANT + '`, app `' + APP + '`, users jane.admin `' + USER_JANE + '` and bob.helpdesk `' + USER_BOB + '`.',
    '',
    '| Folder | Story | Expected rule ids | Invented wording (summary) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r[0]}\` | ${r[1]} | ${r[2]} | ${r[3]} |`),
    '',
    '## Formats used',
    '- Server `$$<` format for most SCP worker logs (component `SMS_SERVICE_CONNECTOR_<Worker>`), AdminService.log, SMS_AZUREAD_DISCOVERY_AGENT.log, SmsProv.log. Multi-line messages are written with `~~`.',
    '- CMTrace format for BgbServer.log, CcmNotificationAgent.log, Scripts.log, SmsAdminUI.log, and for the SCP logs of `broken-onboarding` and `cert-subject-mismatch`. In those two, each exception block is one multi-line entry.',
    '- `multi-site-three-zones/MP01/BgbServer.log` writes its bias as `-60` (not `-060`). Real ConfigMgr CMTrace lines from CET machines look like this, e.g. `time="22:42:29.600-60"`. Every other bias is written with 3 digits (`+480`, `-120`, `+000`, `-330`).',
    '- `multi-site-three-zones/CLIENT042/CcmNotificationAgent.log` is UTF-16LE with a BOM (FF FE).',
    '- Rotated pairs: `healthy-day/CMGatewayNotificationWorker.lo_` + `.log`, `multi-site-three-zones/SCP01/CMGatewaySyncUploadWorker.lo_` + `.log`, split at a record boundary. File mtimes are set to the last record.',
    '',
    '## Invented wording (the reference says the real text is unknown)',
    '- CMGatewaySyncUploadWorker: `Starting sync upload (delta).`, `Starting sync upload (full).`, `[UploadDelta_HelpdeskUpload] Creating web request to: https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost Method: POST Activity ID: <guid> Timeout: 00:02:00`, `[UploadDelta_HelpdeskUpload] Response from …/DevicePost is: 200 (OK)`, `Upload completed successfully. N records uploaded.`, `Upload failed. Will retry at next run.` Documented: `Batching N records`, `Next run time will be at approximately: MM/dd/yyyy HH:mm:ss`, `[WebException]: Failed to upload data to \'…/DevicePost\'`, `…DevicePost is: 401 (Unauthorized)`.',
    '- CMGatewayNotificationWorker: the `[GetNotifications] Creating web request …` line (shape copied from the documented OnboardScenario line), `is: 200 (OK)` before a notification, the full `is: 204 (NoContent)` line (BLOG401 quotes only "204 (NoContent)"), `is: 408 (RequestTimeout)`, `is: 599 (Network Connect Timeout Error)`, the back-off line, worker start/stop/heartbeat lines.',
    '- Token failures: `Failed to acquire access token for the gateway. Exception: Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS…` and the SMS_AZUREAD_DISCOVERY_AGENT `ERROR: Failed to acquire token for tenant …` / `Starting delta discovery …` / `Delta discovery completed …` lines. The AADSTS texts come from Entra and their `Trace ID / Correlation ID / Timestamp` tails follow the usual Entra format.',
    '- SmsAdminUI.log wizard lines. AdminService.log request/response lines. All EndpointConnectivityCheckWorker.log lines except the 11412 status text. Scripts.log `Running CMPivot script …`. Noise: `SQL connection opened to …`, `Sleeping for 900 seconds`, `BGB server online client count: N`, `Send keep-alive message to MP01.contoso.com:10123 successfully.`, `Notification agent is connected to …`.',
    '- CMPivot TaskParam is base64 of the UTF-8 XML. The CMPivot troubleshooting doc sample `PFNjcmlwdENvbnRlbnQgU2NyaXB0R3VpZD0nN0RDNkI2RjEt…` decodes as ASCII `<ScriptContent ScriptGuid=\'7DC6B6F1-…`, so it is not UTF-16LE.',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- main
function main() {
  const only = process.argv.slice(2);
  for (const sc of SCENARIOS) {
    if (only.length && !only.includes(sc.name)) continue;
    const dir = path.join(ROOT, sc.name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const ctx = makeCtx(sc.name);
    sc.build(ctx);
    for (const l of ctx.logs) writeLog(dir, l);
    fs.writeFileSync(path.join(dir, 'README.md'), sc.readme.join('\n') + '\n');
  }
  fs.writeFileSync(path.join(ROOT, 'README.md'), topReadme());
  console.log(`wrote ${only.length ? only.join(', ') : SCENARIOS.length + ' scenarios'} under ${ROOT}`);
}
main();

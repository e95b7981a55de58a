/**
 * What every log can say: AADSTS codes, HTTP statuses in error text, HRESULTs, .NET network
 * errors, the service-signing-certificate mismatch, the stale SQL connection, and exception blocks
 * (`Exception details:` + `[Critical][Worker][0][Type][0x…]` + message + `at …` frames), which may
 * arrive as one multi-line record or as consecutive records.
 */
import type { FieldValue, LogRecord, RecordRef, Severity, TimelineEvent } from '../types.js';
import { failureSeverity, makeEvent, refOf, type LineInput, type LinePart } from './event.js';
import { holds } from './guard.js';
import {
  STACK_LINE_RE,
  URL_RE,
  clip,
  countFrames,
  findHttpErrors,
  firstLine,
  inlineStackStart,
  normHresult,
  urlParts,
} from './text.js';

// ---------------------------------------------------------------------------------------------
// Exception blocks

const DETAILS_RE = /^\s*Exception\s+details\s*:?\s*(.*)$/i;
const TAG_RE =
  /^\s*\[\s*([A-Za-z]+)\s*\]\s*\[\s*([^[\]]*?)\s*\]\s*\[\s*(-?\d{1,10})\s*\]\s*\[\s*([^[\]]+?)\s*\]\s*\[\s*(0x[0-9A-Fa-f]{1,8}|-?\d{1,10})\s*\]\s*(.*)$/i;
const HEADER_RE = /^\s*Unexpected\s+exception\s+(?:for|in)\s+(?:the\s+)?worker\s*:?\s*([\w.-]+)/i;
const RESPONSE_RE = /^\s*Response\s+in\s+the\s+web\s+exception\s*:?\s*(.*)$/i;
const TYPE_PREFIX_RE = /^\s*([A-Za-z_][\w.]*Exception)\s*(?:\(\s*(0[xX][0-9A-Fa-f]{1,8})\s*\))?\s*:\s*/;

/**
 * Whether HEADER_RE, DETAILS_RE or TAG_RE may match, read by hand: most lines begin with a
 * printable ASCII character that settles it without running the three. After whitespace they
 * begin with `U`, `E` or `[`; TAG_RE's first `]` (the line's first: only whitespace, `[` and
 * letters come before it) is followed by whitespace and `[`. Spaces and tabs are skipped here;
 * other whitespace and non-ASCII text are left to the regexes.
 */
function mayOpen(text: string): boolean {
  let i = skipBlanks(text, 0);
  const c = text.charCodeAt(i);
  if (c === 0x5b) {
    const close = text.indexOf(']');
    if (close < 0) return false;
    i = skipBlanks(text, close + 1);
    return text.charCodeAt(i) === 0x5b || !printableAscii(text.charCodeAt(i));
  }
  return c === 0x55 || c === 0x75 || c === 0x45 || c === 0x65 || !printableAscii(c);
}

/** Past spaces and tabs from `i`. */
function skipBlanks(text: string, i: number): number {
  let at = i;
  while (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09) at++;
  return at;
}

function printableAscii(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

interface Tag {
  severityTag: string;
  worker: string;
  exceptionType: string;
  hresult: string;
}

interface Block {
  anchor: LogRecord;
  refs: RecordRef[];
  header: string | null;
  headerWorker: string | null;
  details: boolean;
  tag: Tag | null;
  message: string | null;
  response: string | null;
  stackLines: number;
}

/**
 * The exception-block reader. It works line by line, so a block gives the same event whether it
 * comes as one multi-line record or as consecutive records; it holds the open block until a line
 * that does not continue it (or flush()).
 */
/** Most records an exception event points back to. */
const MAX_BLOCK_REFS = 50;

export class ExceptionBlocks {
  private block: Block | null = null;

  /** Feed one line; returns true when the line belongs to a block. Closed blocks go to `out`. */
  step(record: LogRecord, text: string, out: TimelineEvent[]): boolean {
    const b = this.block;
    if (b !== null) {
      if (this.continues(b, record, text)) return true;
      this.close(out);
    }
    return this.open(record, text);
  }

  /** Emit the open block, if any. */
  flush(out: TimelineEvent[]): void {
    this.close(out);
  }

  /**
   * The open block as plain data (null when none): everything that decides how later lines
   * continue it and the event it closes into. Of the anchor record, only what makeEvent and
   * failureSeverity read (the event's refs are the block's own). For LinePart.syncState-style
   * comparison through stateText; called rarely, never per line.
   */
  syncState(): unknown {
    const b = this.block;
    if (b === null) return null;
    const a = b.anchor;
    return {
      anchor: {
        log: a.log,
        utcMs: a.utcMs,
        localText: a.localText,
        bias: a.bias,
        severity: a.severity,
        text: firstLine(a.message),
      },
      refs: b.refs.map((r) => ({ path: r.path, line: r.line, offset: r.offset })),
      header: b.header,
      headerWorker: b.headerWorker,
      details: b.details,
      tag: b.tag === null ? null : { severityTag: b.tag.severityTag, worker: b.tag.worker, exceptionType: b.tag.exceptionType, hresult: b.tag.hresult },
      message: b.message,
      response: b.response,
      stackLines: b.stackLines,
    };
  }

  private addRef(b: Block, record: LogRecord): void {
    const last = b.refs[b.refs.length - 1];
    if (last && last.path === record.path && last.offset === record.offset && last.line === record.line) return;
    // A runaway block (millions of stack lines) must not hold a ref per line: keep the first
    // MAX_BLOCK_REFS and let the last slot track the latest record, so the span stays known.
    if (b.refs.length >= MAX_BLOCK_REFS) {
      b.refs[b.refs.length - 1] = refOf(record);
      return;
    }
    b.refs.push(refOf(record));
  }

  private open(record: LogRecord, text: string): boolean {
    if (!holds(mayOpen, text)) return false;
    const header = HEADER_RE.exec(text);
    const details = DETAILS_RE.exec(text);
    const tag = TAG_RE.exec(text);
    if (!header && !details && !tag) return false;
    const b: Block = {
      anchor: record,
      refs: [refOf(record)],
      header: null,
      headerWorker: null,
      details: false,
      tag: null,
      message: null,
      response: null,
      stackLines: 0,
    };
    this.block = b;
    this.continues(b, record, text);
    return true;
  }

  /** Whether `text` continues `b` (and if so, take it in). */
  private continues(b: Block, record: LogRecord, text: string): boolean {
    if (STACK_LINE_RE.test(text)) {
      b.stackLines += countFrames(text);
      this.addRef(b, record);
      return true;
    }
    const response = RESPONSE_RE.exec(text);
    if (response) {
      if (b.response === null) b.response = (response[1] ?? '').trim() || null;
      this.addRef(b, record);
      return true;
    }
    const header = HEADER_RE.exec(text);
    if (header) {
      if (b.header !== null) return false;
      const worker = header[1] ?? '';
      if (b.tag !== null && b.tag.worker !== '' && b.tag.worker.toLowerCase() !== worker.toLowerCase()) return false;
      b.header = text.trim();
      b.headerWorker = worker;
      this.addRef(b, record);
      return true;
    }
    const details = DETAILS_RE.exec(text);
    if (details) {
      if (b.details || b.tag !== null || b.message !== null) return false;
      b.details = true;
      this.addRef(b, record);
      const rest = details[1] ?? '';
      if (rest.trim() !== '') this.takeRest(b, rest);
      return true;
    }
    const tag = TAG_RE.exec(text);
    if (tag) {
      if (b.tag !== null || b.message !== null) return false;
      b.tag = {
        severityTag: tag[1] ?? '',
        worker: tag[2] ?? '',
        exceptionType: tag[4] ?? '',
        hresult: normHresult(tag[5] ?? ''),
      };
      this.addRef(b, record);
      const rest = tag[6] ?? '';
      if (rest.trim() !== '') this.takeMessage(b, rest);
      return true;
    }
    if (b.message === null && (b.details || b.tag !== null)) {
      this.takeMessage(b, text);
      this.addRef(b, record);
      return true;
    }
    return false;
  }

  /** Text after `Exception details:` on the same line: a tag or a message. */
  private takeRest(b: Block, rest: string): void {
    const tag = TAG_RE.exec(rest);
    if (tag) {
      b.tag = {
        severityTag: tag[1] ?? '',
        worker: tag[2] ?? '',
        exceptionType: tag[4] ?? '',
        hresult: normHresult(tag[5] ?? ''),
      };
      const after = tag[6] ?? '';
      if (after.trim() !== '') this.takeMessage(b, after);
    } else {
      this.takeMessage(b, rest);
    }
  }

  private takeMessage(b: Block, text: string): void {
    const at = inlineStackStart(text);
    const message = (at < 0 ? text : text.slice(0, at)).trim();
    b.message = message;
    if (at >= 0) b.stackLines += countFrames(text.slice(at));
  }

  private close(out: TimelineEvent[]): void {
    const b = this.block;
    if (b === null) return;
    this.block = null;
    let exceptionType = b.tag?.exceptionType ?? null;
    let hresult = b.tag?.hresult ?? null;
    let message = b.message ?? '';
    if (exceptionType === null || exceptionType === '') {
      const typed = TYPE_PREFIX_RE.exec(message);
      if (typed) {
        exceptionType = typed[1] ?? null;
        if (typed[2] !== undefined) hresult = normHresult(typed[2]);
      } else {
        exceptionType = null;
      }
    }
    if (message === '' && b.header !== null) message = b.header;
    const httpStatus = findHttpErrors(b.message ?? '')[0]?.status ?? null;
    const severityTag = b.tag?.severityTag || null;
    const worker = b.tag?.worker || b.headerWorker || null;
    const fields: Record<string, FieldValue> = {
      severityTag,
      worker,
      exceptionType,
      hresult,
      httpStatus,
      message,
      stackLines: b.stackLines,
      response: b.response,
    };
    const head = `${exceptionType ?? 'Exception'}${hresult ? ` (${hresult})` : ''}`;
    const summary = message === '' ? head : `${head}: ${clip(message, 160)}`;
    const event = makeEvent(b.anchor, 'exception', tagSeverity(severityTag, b.anchor), summary, fields);
    event.refs = b.refs;
    out.push(event);
  }
}

function tagSeverity(tag: string | null, anchor: LogRecord): Severity {
  const t = (tag ?? '').toLowerCase();
  if (t === 'critical' || t === 'error' || t === 'fatal') return 'error';
  if (t === 'warning' || t === 'warn') return 'warning';
  if (t === 'info' || t === 'information' || t === 'informational' || t === 'verbose' || t === 'debug') return 'info';
  return failureSeverity(anchor);
}

// ---------------------------------------------------------------------------------------------
// Line facts

const AADSTS_RE = /AADSTS(\d{1,9})(?!\d)/gi;

type NetworkType = 'dns' | 'connect' | 'timeout' | 'closed' | 'trust' | 'proxy-auth' | 'crl';

/** Most specific first: one network.error per line. */
const NETWORK: readonly { type: NetworkType; re: RegExp; label: string }[] = [
  { type: 'trust', re: /Could\s+not\s+establish\s+trust\s+relationship\s+for\s+the\s+SSL\s*\/\s*TLS\s+secure\s+channel/i, label: 'TLS trust failure' },
  { type: 'crl', re: /revocation\s+function\s+was\s+unable\s+to\s+check\s+revocation/i, label: 'certificate revocation check failed' },
  { type: 'proxy-auth', re: /\(\s*407\s*\)\s*Proxy\s*Authentication\s*Required/i, label: 'proxy authentication required (407)' },
  { type: 'dns', re: /remote\s+name\s+could\s+not\s+be\s+resolved/i, label: 'DNS name not resolved' },
  { type: 'timeout', re: /\boperation\s+has\s+timed\s*-?\s*out/i, label: 'operation timed out' },
  { type: 'connect', re: /Unable\s+to\s+connect\s+to\s+the\s+remote\s+server/i, label: 'unable to connect to the remote server' },
  { type: 'closed', re: /underlying\s+connection\s+was\s+closed/i, label: 'underlying connection closed' },
];

const DNS_HOST_RE = /remote\s+name\s+could\s+not\s+be\s+resolved\s*:?\s*['"]?([^'"\s]+?)['"]?(?=[\s.,;]*$|[\s,;'"])/i;
const CERT_MISMATCH_RE = /Mismatch(?:ed)?\s+certificate\s+subject\s+name/i;
const SQL_CLOSED_RE = /ExecuteReader\s+requires\s+an\s+open\s+and\s+available\s+Connection/i;
const HRESULT_RE = /(?<![0-9A-Za-z])0x(8[0-9A-Fa-f]{7})(?![0-9A-Fa-f])/gi;
/**
 * A piece of a word each fact regex above needs (guard.ts), as one scan: AADSTS, establish,
 * revocation, Proxy, remote (the DNS and the connect failure both say it), operation,
 * underlying, subject, ExecuteReader. Most lines hold none, and scanned one by one the regexes
 * cost a call each. Not `server`: ConfigMgr lines say it all the time (`BGB server online client
 * count`), and each such line then ran every fact regex. HRESULT_RE's `0x8` scans on its own: a
 * word that short in the alternation would let it skip fewer characters at a time.
 */
const FACT_WORDS = /dsts|blish|vocation|proxy|emote|peration|lying|bject|xecute/i;
/** AADSTS_RE's own word, checked before its matchAll (which allocates even when nothing matches). */
const AAD_NEEDS = /aadsts/i;
const HRESULT_NEEDS = /0x8/i;
const AAD_CUT_RE = /\\r\\n|\\n|\\r|\\t|",|"\s*[,}]|\s*Trace\s*ID\s*:|\s*Correlation\s*ID\s*:|\s*Timestamp\s*:\s*\d{4}-/i;

/** Statuses other events on the line already state (so no second http.error). */
function claimedStatuses(events: readonly TimelineEvent[]): Set<number> {
  const claimed = new Set<number>();
  for (const e of events) {
    for (const key of ['status', 'httpStatus'] as const) {
      const v = e.fields[key];
      if (typeof v === 'number') claimed.add(v);
    }
  }
  return claimed;
}

/** The line facts every log shares (the exception blocks are read by ExceptionBlocks). */
export function createCommonPart(): LinePart {
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      const facts = holds(FACT_WORDS, text);
      let net: NetworkType | null = null;
      if (facts) {
        if (holds(AAD_NEEDS, text)) aadErrors(record, text, out);
        net = networkError(record, text, out);
        if (CERT_MISMATCH_RE.test(text)) {
          out.push(makeEvent(record, 'service-cert.mismatch', 'error', 'Service signing certificate: mismatch certificate subject name', {}));
        }
        if (SQL_CLOSED_RE.test(text)) {
          out.push(makeEvent(record, 'sql.connection-closed', 'error', 'SQL connection closed (ExecuteReader requires an open connection)', {}));
        }
      }

      // Inside an exception block the status and HRESULT belong to the block's event.
      if (input.inException) return;

      const hits = findHttpErrors(text);
      if (hits.length > 0) {
        // The events above state no status, so the earlier parts' statuses are all that is claimed.
        const claimed = claimedStatuses(out);
        if (net === 'proxy-auth') claimed.add(407);
        for (const hit of hits) {
          if (claimed.has(hit.status)) continue;
          claimed.add(hit.status);
          out.push(
            makeEvent(record, 'http.error', 'error', `HTTP ${hit.status}${hit.reason ? ` (${hit.reason})` : ''}`, {
              status: hit.status,
              reason: hit.reason,
            }),
          );
        }
      }

      if (holds(HRESULT_NEEDS, text)) hresults(record, text, out);
    },
  };
}

/** AADSTS codes with their message. */
function aadErrors(record: LogRecord, text: string, out: TimelineEvent[]): void {
  const codes = [...text.matchAll(AADSTS_RE)];
  const seenCodes = new Set<string>();
  codes.forEach((m, i) => {
    const digits = m[1] ?? '';
    const code = `AADSTS${digits}`;
    if (seenCodes.has(code)) return;
    seenCodes.add(code);
    const start = (m.index ?? 0) + m[0].length;
    const end = codes[i + 1]?.index ?? text.length;
    let message = text.slice(start, end).replace(/^\s*[:\-–]\s*/, '');
    const cut = AAD_CUT_RE.exec(message);
    if (cut) message = message.slice(0, cut.index);
    message = message.trim().replace(/[\s,;]+$/, '');
    out.push(
      makeEvent(record, 'aad.error', 'error', message === '' ? code : `${code}: ${clip(message, 160)}`, {
        code,
        number: Number(digits),
        message,
      }),
    );
  });
}

/** The most specific .NET network error on the line (one per line); its type, or null. */
function networkError(record: LogRecord, text: string, out: TimelineEvent[]): NetworkType | null {
  const net = NETWORK.find((n) => n.re.test(text));
  if (net === undefined) return null;
  let host: string | null = null;
  if (net.type === 'dns') host = DNS_HOST_RE.exec(text)?.[1] ?? null;
  if (host === null) {
    const url = URL_RE.exec(text);
    if (url) host = urlParts(url[0]).host;
  }
  const sev: Severity = net.type === 'timeout' ? 'warning' : 'error';
  out.push(
    makeEvent(record, 'network.error', sev, host ? `Network error: ${net.label} (${host})` : `Network error: ${net.label}`, {
      type: net.type,
      host,
    }),
  );
  return net.type;
}

/** HRESULTs no other event on the line states. */
function hresults(record: LogRecord, text: string, out: TimelineEvent[]): void {
  const stated = new Set<string>();
  for (const e of out) if (typeof e.fields.hresult === 'string') stated.add(e.fields.hresult);
  for (const m of text.matchAll(HRESULT_RE)) {
    const hresult = normHresult(`0x${m[1] ?? ''}`);
    if (stated.has(hresult)) continue;
    stated.add(hresult);
    out.push(makeEvent(record, 'hresult', failureSeverity(record), `HRESULT ${hresult}`, { hresult }));
  }
}

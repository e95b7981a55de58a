/**
 * Offline lookup of the codes that show up in tenant attach logs: Entra ID AADSTS codes, HRESULTs
 * (.NET, Win32, WinHTTP, Schannel, CryptoAPI, WMI), Win32/WinHTTP/Winsock errors, HTTP statuses as
 * the gateway and proxies use them, and ConfigMgr status message IDs.
 *
 * Pure: no I/O, no clock. The tables are small JSON files bundled with the module; the indexes over
 * them are built on first use.
 *
 * ```
 * explainCode('0x80131509')   → [hresult COR_E_INVALIDOPERATION (WebException …)]
 * explainCode('-2146233079')  → same entry (signed decimal)
 * explainCode('12002')        → [win32 ERROR_WINHTTP_TIMEOUT]
 * explainCode('0x80070000')   → [hresult unknown, decoded FACILITY_WIN32 → code 0, win32 ERROR_SUCCESS]
 * findCodes('…[System.Net.WebException][0x80131509]') → [{kind:'hresult', code:'0x80131509', start, end}]
 * ```
 */
import aadstsData from './data/aadsts.json' with { type: 'json' };
import hresultData from './data/hresult.json' with { type: 'json' };
import win32Data from './data/win32.json' with { type: 'json' };
import httpData from './data/http.json' with { type: 'json' };
import statusData from './data/status-messages.json' with { type: 'json' };

export type CodeKind = 'aadsts' | 'hresult' | 'win32' | 'http' | 'status-message' | 'rule';

/** One row of a bundled code table (`src/analysis/codes/data/*.json`). */
export interface CodeEntry {
  /** `AADSTS7000222`, `0x80131509` (upper-case hex digits), `12002`, `401`, `11411`. */
  readonly code: string;
  /** Symbolic name (`COR_E_INVALIDOPERATION`, `ERROR_WINHTTP_TIMEOUT`) or reason phrase. */
  readonly name: string;
  /** What the code means in general. */
  readonly meaning: string;
  /** What it means for tenant attach, when the sources support a reading. */
  readonly tenantAttach?: string;
  /** Remediation steps, most useful first. */
  readonly fix?: readonly string[];
  /** Source tag(s) (see domain-reference §0) or URL. */
  readonly source: string;
}

export interface CodeExplanation {
  kind: CodeKind;
  /** Normalised code: `AADSTS7000222`, `0x80131509`, `12002`, `401`, `11411`. */
  code: string;
  name: string;
  meaning: string;
  tenantAttach?: string;
  fix: string[];
  source: string;
  /** True when the code is in attachscope's offline tables. */
  known: boolean;
  /** decoded parts for HRESULTs: severity, facility number + name, code; also the signed/unsigned decimal forms */
  decoded?: Record<string, string | number>;
}

/** A code found inside a log message. `start`/`end` delimit the code token itself (`text.slice(start, end)`). */
export interface CodeMention {
  kind: CodeKind;
  code: string;
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Tables and indexes (built lazily)

type TableKind = Exclude<CodeKind, 'rule'>;

interface NameHit {
  readonly kind: TableKind;
  readonly entry: CodeEntry;
}

interface Tables {
  readonly byKind: ReadonlyMap<TableKind, ReadonlyMap<string, CodeEntry>>;
  /** normalised symbolic name → entries whose name is exactly that. */
  readonly byName: ReadonlyMap<string, readonly NameHit[]>;
  /** normalised inner name of `HRESULT_FROM_WIN32(X)` → HRESULT entries. */
  readonly byWrappedName: ReadonlyMap<string, readonly NameHit[]>;
}

const RAW_TABLES: ReadonlyArray<readonly [TableKind, readonly CodeEntry[]]> = [
  ['aadsts', aadstsData],
  ['hresult', hresultData],
  ['win32', win32Data],
  ['http', httpData],
  ['status-message', statusData],
];

let tables: Tables | undefined;

function normName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function getTables(): Tables {
  if (tables) return tables;
  const byKind = new Map<TableKind, Map<string, CodeEntry>>();
  const byName = new Map<string, NameHit[]>();
  const byWrappedName = new Map<string, NameHit[]>();
  for (const [kind, rows] of RAW_TABLES) {
    const m = new Map<string, CodeEntry>();
    for (const entry of rows) {
      m.set(entry.code, entry);
      pushTo(byName, normName(entry.name), { kind, entry });
      const wrapped = /^HRESULT_FROM_WIN32\((\w+)\)$/.exec(entry.name);
      if (wrapped?.[1]) pushTo(byWrappedName, normName(wrapped[1]), { kind, entry });
    }
    byKind.set(kind, m);
  }
  tables = { byKind, byName, byWrappedName };
  return tables;
}

function entryOf(kind: TableKind, code: string): CodeEntry | undefined {
  return getTables().byKind.get(kind)?.get(code);
}

/** All rows of one bundled table (read-only), e.g. for reports or data checks. */
export function codeTable(kind: Exclude<CodeKind, 'rule'>): readonly CodeEntry[] {
  return [...(getTables().byKind.get(kind)?.values() ?? [])];
}

// ---------------------------------------------------------------------------------------------
// HRESULT decoding

/** Facility numbers from winerror.h (the ones worth naming in a ConfigMgr context). */
const FACILITY_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'FACILITY_NULL'],
  [1, 'FACILITY_RPC'],
  [2, 'FACILITY_DISPATCH'],
  [3, 'FACILITY_STORAGE'],
  [4, 'FACILITY_ITF'],
  [7, 'FACILITY_WIN32'],
  [8, 'FACILITY_WINDOWS'],
  [9, 'FACILITY_SECURITY'],
  [10, 'FACILITY_CONTROL'],
  [11, 'FACILITY_CERT'],
  [12, 'FACILITY_INTERNET'],
  [13, 'FACILITY_MEDIASERVER'],
  [14, 'FACILITY_MSMQ'],
  [15, 'FACILITY_SETUPAPI'],
  [16, 'FACILITY_SCARD'],
  [17, 'FACILITY_COMPLUS'],
  [18, 'FACILITY_AAF'],
  [19, 'FACILITY_URT'],
  [20, 'FACILITY_ACS'],
  [21, 'FACILITY_DPLAY'],
  [22, 'FACILITY_UMI'],
  [23, 'FACILITY_SXS'],
  [24, 'FACILITY_WINDOWS_CE'],
  [25, 'FACILITY_HTTP'],
  [26, 'FACILITY_USERMODE_COMMONLOG'],
  [31, 'FACILITY_USERMODE_FILTER_MANAGER'],
  [32, 'FACILITY_BACKGROUNDCOPY'],
  [33, 'FACILITY_CONFIGURATION'],
  [34, 'FACILITY_STATE_MANAGEMENT'],
  [35, 'FACILITY_METADIRECTORY'],
  [36, 'FACILITY_WINDOWSUPDATE'],
  [37, 'FACILITY_DIRECTORYSERVICE'],
  [38, 'FACILITY_GRAPHICS'],
  [39, 'FACILITY_SHELL'],
  [40, 'FACILITY_TPM_SERVICES'],
  [41, 'FACILITY_TPM_SOFTWARE'],
  [48, 'FACILITY_PLA'],
  [49, 'FACILITY_FVE'],
  [50, 'FACILITY_FWP'],
  [51, 'FACILITY_WINRM'],
  [52, 'FACILITY_NDIS'],
  [53, 'FACILITY_USERMODE_HYPERVISOR'],
  [54, 'FACILITY_CMI'],
  [55, 'FACILITY_USERMODE_VIRTUALIZATION'],
  [56, 'FACILITY_USERMODE_VOLMGR'],
  [57, 'FACILITY_BCD'],
  [58, 'FACILITY_USERMODE_VHD'],
  [60, 'FACILITY_SDIAG'],
  [61, 'FACILITY_WEBSERVICES'],
  [80, 'FACILITY_WINDOWS_DEFENDER'],
  [81, 'FACILITY_OPC'],
]);

/** Plain-words hints for the facilities people meet in these logs. */
const FACILITY_HINTS: ReadonlyMap<number, string> = new Map([
  [2, 'OLE Automation (DISP_E_*)'],
  [4, 'interface-specific; WMI uses 0x80041xxx'],
  [7, 'a Win32 error code in the low 16 bits (HRESULT_FROM_WIN32)'],
  [9, 'Schannel/SSPI security (SEC_E_*) or CryptoAPI (NTE_*, CRYPT_E_*)'],
  [11, 'certificates and trust (CERT_E_*, TRUST_E_*)'],
  [12, 'URL moniker / internet (INET_E_*)'],
  [19, '.NET runtime (COR_E_*): the HRESULT of a .NET exception type'],
  [25, 'an HTTP status in the low 16 bits'],
  [32, 'BITS (BG_E_*)'],
  [36, 'Windows Update Agent (WU_E_*)'],
  [2000, 'used by Configuration Manager client errors (0x87D0xxxx); unofficial'],
]);

function hex(n: number, width: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(width, '0');
}

/** Splits a 32-bit HRESULT (unsigned value) into its fields. */
export function decodeHresult(value: number): Record<string, string | number> {
  const u = value >>> 0;
  const severityBit = u >>> 31;
  const reserved = (u >>> 30) & 1;
  const customer = (u >>> 29) & 1;
  const ntstatus = (u >>> 28) & 1;
  const facility = (u >>> 16) & 0x7ff;
  const code = u & 0xffff;
  const out: Record<string, string | number> = {
    hex: hex(u, 8),
    unsigned: u,
    signed: u | 0,
    severity: severityBit === 1 ? 'failure' : 'success',
    facility,
    facilityHex: hex(facility, 2),
    facilityName:
      customer === 1 ? 'customer-defined' : (FACILITY_NAMES.get(facility) ?? FACILITY_HINTS.get(facility) ?? 'unknown facility'),
    code,
    codeHex: hex(code, 4),
  };
  if (customer === 1) out['customer'] = 1;
  if (ntstatus === 1) out['ntstatusMapped'] = 1;
  if (reserved === 1 && severityBit === 1) out['note'] = 'top two bits set: this looks like an NTSTATUS (error severity), not an HRESULT';
  const hint = customer === 0 ? FACILITY_HINTS.get(facility) : undefined;
  if (hint) out['facilityMeaning'] = hint;
  if (severityBit === 1 && customer === 0 && reserved === 0) {
    if (facility === 7) out['win32'] = code;
    if (facility === 25 && code >= 100 && code <= 599) out['http'] = code;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building explanations

const UNKNOWN = "not in attachscope's offline tables";

const KIND_LABEL: Record<TableKind, string> = {
  aadsts: 'Entra ID (AADSTS) error',
  hresult: 'HRESULT',
  win32: 'Win32 error',
  http: 'HTTP status',
  'status-message': 'ConfigMgr status message ID',
};

/** Standard reason phrases for HTTP statuses that are not in http.json. */
const HTTP_REASONS: ReadonlyMap<number, string> = new Map([
  [100, 'Continue'],
  [101, 'Switching Protocols'],
  [201, 'Created'],
  [202, 'Accepted'],
  [203, 'Non-Authoritative Information'],
  [205, 'Reset Content'],
  [206, 'Partial Content'],
  [300, 'Multiple Choices'],
  [301, 'Moved Permanently'],
  [302, 'Found'],
  [303, 'See Other'],
  [304, 'Not Modified'],
  [307, 'Temporary Redirect'],
  [308, 'Permanent Redirect'],
  [402, 'Payment Required'],
  [405, 'Method Not Allowed'],
  [406, 'Not Acceptable'],
  [410, 'Gone'],
  [411, 'Length Required'],
  [412, 'Precondition Failed'],
  [413, 'Content Too Large'],
  [414, 'URI Too Long'],
  [415, 'Unsupported Media Type'],
  [416, 'Range Not Satisfiable'],
  [417, 'Expectation Failed'],
  [421, 'Misdirected Request'],
  [422, 'Unprocessable Content'],
  [428, 'Precondition Required'],
  [431, 'Request Header Fields Too Large'],
  [501, 'Not Implemented'],
  [505, 'HTTP Version Not Supported'],
]);

function fromEntry(kind: TableKind, entry: CodeEntry): CodeExplanation {
  const out: CodeExplanation = {
    kind,
    code: entry.code,
    name: entry.name,
    meaning: entry.meaning,
    fix: [...(entry.fix ?? [])],
    source: entry.source,
    known: true,
  };
  if (entry.tenantAttach !== undefined) out.tenantAttach = entry.tenantAttach;
  return out;
}

function unknown(kind: TableKind, code: string, meaning: string, fix: string[], name?: string): CodeExplanation {
  return {
    kind,
    code,
    name: name ?? `Unknown ${KIND_LABEL[kind]}`,
    meaning,
    fix,
    source: 'attachscope',
    known: false,
  };
}

function explainAadsts(digits: string): CodeExplanation {
  const n = String(Number(digits));
  const code = 'AADSTS' + n;
  const url = `https://login.microsoftonline.com/error?code=${n}`;
  const entry = entryOf('aadsts', code);
  if (entry) {
    const out = fromEntry('aadsts', entry);
    out.fix.push(`Current Microsoft text for this code: ${url}`);
    return out;
  }
  return unknown('aadsts', code, `${code} is ${UNKNOWN}.`, [`Look the code up at ${url}`]);
}

function explainWin32(n: number): CodeExplanation {
  const code = String(n);
  const entry = entryOf('win32', code);
  const asHresult = n > 0 && n <= 0xffff ? (0x80070000 | n) >>> 0 : undefined;
  const out = entry
    ? fromEntry('win32', entry)
    : unknown(
        'win32',
        code,
        `Win32 error ${code}${rangeHint(n)} is ${UNKNOWN}.`,
        [`On Windows: "net helpmsg ${code}" or "certutil -error ${code}" prints the system text.`],
      );
  if (asHresult !== undefined) {
    out.decoded = { asHresult: hex(asHresult, 8), asHresultSigned: asHresult | 0, asHresultUnsigned: asHresult };
  }
  return out;
}

function rangeHint(n: number): string {
  if (n >= 12000 && n <= 12199) return ' (WinHTTP/WinINet range)';
  if (n >= 10000 && n <= 11999) return ' (Winsock range)';
  return '';
}

function explainHttp(n: number): CodeExplanation {
  const code = String(n);
  const entry = entryOf('http', code);
  if (entry) return fromEntry('http', entry);
  const reason = HTTP_REASONS.get(n);
  if (reason) {
    return unknown(
      'http',
      code,
      `HTTP ${code} ${reason} is a standard status, but tenant attach use of it is ${UNKNOWN}.`,
      ['Check the URL and the proxy logs for the request that returned it.'],
      reason,
    );
  }
  return unknown('http', code, `HTTP status ${code} is ${UNKNOWN}.`, ['Check the proxy or server documentation; non-standard statuses usually come from a proxy.']);
}

function explainStatus(n: number): CodeExplanation {
  const code = String(n);
  const entry = entryOf('status-message', code);
  if (entry) return fromEntry('status-message', entry);
  return unknown('status-message', code, `Status message ID ${code} is ${UNKNOWN}.`, [
    'Look the message ID up in the console: Monitoring → System Status → Status Message Queries.',
  ]);
}

/** One or more readings of a 32-bit HRESULT: the HRESULT itself, then what its low word wraps. */
function explainHresult(value: number): CodeExplanation[] {
  const u = value >>> 0;
  const code = hex(u, 8);
  const decoded = decodeHresult(u);
  const entry = entryOf('hresult', code);
  const win32 = typeof decoded['win32'] === 'number' ? decoded['win32'] : undefined;
  const http = typeof decoded['http'] === 'number' ? decoded['http'] : undefined;
  const wrappedWin32 = win32 !== undefined ? entryOf('win32', String(win32)) : undefined;
  const wrappedHttp = http !== undefined ? entryOf('http', String(http)) : undefined;

  let primary: CodeExplanation;
  if (entry) {
    primary = fromEntry('hresult', entry);
  } else {
    const facilityName = String(decoded['facilityName']);
    const facilityText = `facility ${decoded['facility']} (${decoded['facilityHex']}, ${facilityName})`;
    const parts = [
      `${code} is ${UNKNOWN}.`,
      `Decoded: ${decoded['severity']}, ${facilityText}, code ${decoded['code']} (${decoded['codeHex']}).`,
    ];
    const meaningHint = decoded['facilityMeaning'];
    if (typeof meaningHint === 'string') parts.push(`This facility means ${meaningHint}.`);
    let name = 'Unknown HRESULT';
    if (win32 !== undefined) {
      parts.push(
        wrappedWin32
          ? `It wraps Win32 error ${win32} (${wrappedWin32.name}): ${wrappedWin32.meaning}`
          : `It wraps Win32 error ${win32}${rangeHint(win32)}.`,
      );
      if (wrappedWin32) name = `HRESULT_FROM_WIN32(${wrappedWin32.name})`;
    }
    if (http !== undefined) {
      parts.push(wrappedHttp ? `It wraps HTTP status ${http} (${wrappedHttp.name}).` : `It wraps HTTP status ${http}.`);
    }
    if (typeof decoded['note'] === 'string') parts.push(`Note: ${decoded['note']}.`);
    const fix = [`On Windows: "certutil -error ${code}" prints the system text if Windows knows it.`];
    if (win32 !== undefined) fix.push(`"net helpmsg ${win32}" prints the Win32 text.`);
    primary = unknown('hresult', code, parts.join(' '), fix, name);
    if (wrappedWin32?.tenantAttach !== undefined) primary.tenantAttach = wrappedWin32.tenantAttach;
    if (wrappedWin32?.fix) primary.fix.unshift(...wrappedWin32.fix);
  }
  primary.decoded = decoded;

  const out = [primary];
  if (win32 !== undefined && (wrappedWin32 || !entry)) out.push(explainWin32(win32));
  if (http !== undefined && (wrappedHttp || !entry)) out.push(explainHttp(http));
  return out;
}

/** Readings of a plain non-negative decimal below 2^31, ranked best first. */
function explainDecimal(n: number, digits: string): CodeExplanation[] {
  const known: CodeExplanation[] = [];
  const isHttpShape = digits.length === 3 && n >= 100 && n <= 599;
  if (isHttpShape && entryOf('http', String(n))) known.push(explainHttp(n));
  if (entryOf('status-message', String(n))) known.push(explainStatus(n));
  if (entryOf('win32', String(n))) known.push(explainWin32(n));
  if (entryOf('aadsts', 'AADSTS' + n)) known.push(explainAadsts(String(n)));
  if (known.length > 0) return known;

  // Nothing known: offer the plausible kinds, most likely first.
  if (isHttpShape) return [explainHttp(n), explainWin32(n)];
  const aadstsShape = digits.length >= 5 && digits.length <= 9 && !digits.startsWith('0');
  if (n <= 0xffff) {
    const netRange = n >= 10000 && n <= 12199;
    if (aadstsShape && !netRange) return [explainAadsts(digits), explainWin32(n)];
    return aadstsShape ? [explainWin32(n), explainAadsts(digits)] : [explainWin32(n)];
  }
  if (aadstsShape) return [explainAadsts(digits)];
  return [explainHresult(n)[0] as CodeExplanation];
}

/**
 * .NET exception types → the HRESULT they carry (`[System.Net.WebException][0x80131509]` in SCP logs),
 * so `explain System.Net.WebException` works. Only types whose HRESULT is certain are listed.
 */
const EXCEPTION_HRESULTS: ReadonlyMap<string, string> = new Map([
  ['webexception', '0x80131509'],
  ['invalidoperationexception', '0x80131509'],
  ['systemexception', '0x80131501'],
  ['invaliddataexception', '0x80131501'],
  ['exception', '0x80131500'],
  ['httprequestexception', '0x80131500'],
  ['sqlexception', '0x80131904'],
  ['dataexception', '0x80131920'],
  ['securityexception', '0x8013150A'],
  ['timeoutexception', '0x80131505'],
  ['operationcanceledexception', '0x8013153B'],
  ['taskcanceledexception', '0x8013153B'],
  ['ioexception', '0x80131620'],
  ['objectdisposedexception', '0x80131622'],
  ['cryptographicexception', '0x80131430'],
  ['nullreferenceexception', '0x80004003'],
  ['argumentexception', '0x80070057'],
  ['argumentoutofrangeexception', '0x80131502'],
  ['formatexception', '0x80131537'],
  ['notsupportedexception', '0x80131515'],
  ['unauthorizedaccessexception', '0x80070005'],
  ['win32exception', '0x80004005'],
  ['socketexception', '0x80004005'],
  ['keynotfoundexception', '0x80131577'],
]);

function explainByName(q: string): CodeExplanation[] {
  const t = getTables();
  const key = normName(q);
  if (key.length === 0) return [];
  const exceptionHresult = EXCEPTION_HRESULTS.get(normName(q.split('.').at(-1) ?? ''));
  if (exceptionHresult) return explainAs('hresult', exceptionHresult);
  const hits = [...(t.byName.get(key) ?? []), ...(t.byWrappedName.get(key) ?? [])];
  const out: CodeExplanation[] = [];
  const seen = new Set<string>();
  for (const { kind, entry } of hits) {
    const id = `${kind}:${entry.code}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(...explainAs(kind, entry.code).slice(0, 1));
  }
  return out;
}

/**
 * Explains a code of a known kind (e.g. a {@link CodeMention}). Returns every reading, the
 * requested kind first; an empty array if `code` is not a valid code of that kind.
 */
export function explainAs(kind: CodeKind, code: string): CodeExplanation[] {
  try {
    const c = code.trim();
    switch (kind) {
      case 'aadsts': {
        const m = /^(?:AADSTS)?(\d{1,9})$/i.exec(c);
        return m?.[1] ? [explainAadsts(m[1])] : [];
      }
      case 'hresult': {
        const v = parseHresultForm(c);
        return v === undefined ? [] : explainHresult(v);
      }
      case 'win32': {
        if (/^\d{1,5}$/.test(c) && Number(c) <= 0xffff) return [explainWin32(Number(c))];
        const byName = explainByName(c).filter((e) => e.kind === 'win32');
        return byName;
      }
      case 'http':
        return /^\d{3}$/.test(c) && Number(c) >= 100 && Number(c) <= 599 ? [explainHttp(Number(c))] : [];
      case 'status-message':
        return /^\d{1,6}$/.test(c) ? [explainStatus(Number(c))] : [];
      case 'rule':
        return [];
    }
  } catch {
    return [];
  }
}

/** Accepts `0x80131509`, `80131509`, `-2146233079`, `2148734217`; returns the unsigned value. */
function parseHresultForm(c: string): number | undefined {
  let m = /^(?:0x|&H)([0-9a-f]{1,8})$/i.exec(c);
  if (m?.[1]) return parseInt(m[1], 16) >>> 0;
  m = /^([0-9a-f]{8})$/i.exec(c);
  if (m?.[1]) return parseInt(m[1], 16) >>> 0;
  if (/^-\d{1,10}$/.test(c)) {
    const n = Number(c);
    return n >= -0x80000000 ? n >>> 0 : undefined;
  }
  if (/^\d{1,10}$/.test(c)) {
    const n = Number(c);
    return n <= 0xffffffff ? n : undefined;
  }
  return undefined;
}

const TRIM_EDGES = /^[\s"'`([{<]+|[\s"'`)\]}>.,;:!?]+$/g;

/**
 * Explains a code typed by a user (`attachscope explain CODE`). Accepts `AADSTS7000222`,
 * `7000222`, `0x80131509`, `80131509`, `-2146233079`, `2148734217`, `12002`,
 * `ERROR_WINHTTP_TIMEOUT`, `HTTP 401`, `401`, `11411`, and, as a last resort, a log line
 * (every code found in it is explained). Readings are ranked best first; the result is empty
 * only when the query contains no code at all. Never throws.
 */
export function explainCode(query: string): CodeExplanation[] {
  try {
    return explainCodeUnsafe(query);
  } catch {
    return [];
  }
}

function explainCodeUnsafe(query: string): CodeExplanation[] {
  if (typeof query !== 'string') return [];
  const q = query.length > 200 ? query : query.replace(TRIM_EDGES, '');
  if (q.length === 0) return [];

  if (q.length <= 200) {
    let m = /^AADSTS\s*[:#-]?\s*(\d{1,9})$/i.exec(q);
    if (m?.[1]) return [explainAadsts(m[1])];

    m = /^HTTP(?:\/\d(?:\.\d)?)?(?:\s*(?:status|error|code))?[\s:_#/-]*(\d{3})(?:\s+[A-Za-z][A-Za-z -]*)?$/i.exec(q);
    if (m?.[1]) {
      const n = Number(m[1]);
      if (n >= 100 && n <= 599) return [explainHttp(n)];
    }

    m = /^(?:0x|&H)([0-9a-f]{1,8})$/i.exec(q);
    if (m?.[1]) {
      const v = parseInt(m[1], 16) >>> 0;
      if (v >= 0x80000000 || v > 0xffff) return explainHresult(v);
      return [explainWin32(v)];
    }

    // Bare 8-digit hex that looks like a failure HRESULT (80131509, 80072ee2, C0000005).
    m = /^([89a-f][0-9a-f]{7})$/i.exec(q);
    if (m?.[1]) return explainHresult(parseInt(m[1], 16));

    if (/^-\d{1,10}$/.test(q)) {
      const n = Number(q);
      if (n >= -0x80000000) return explainHresult(n >>> 0);
      return [];
    }

    if (/^\d{1,10}$/.test(q)) {
      const n = Number(q);
      if (n > 0xffffffff) return [];
      if (n >= 0x80000000) return explainHresult(n);
      return explainDecimal(n, q.replace(/^0+(?=\d)/, ''));
    }

    // "401 Unauthorized", "(407) Proxy Authentication Required"
    m = /^(\d{3})\)?\s+([A-Za-z][A-Za-z -]*)$/.exec(q);
    if (m?.[1] && m[2]) {
      const n = Number(m[1]);
      if (n >= 100 && n <= 599 && reasonMatches(n, m[2])) return [explainHttp(n)];
    }

    if (/^[A-Za-z_][\w().\s-]*$/.test(q)) {
      const byName = explainByName(q);
      if (byName.length > 0) return byName;
    }
  }

  // Last resort: treat the query as a log line.
  const out: CodeExplanation[] = [];
  const seen = new Set<string>();
  for (const mention of findCodes(query)) {
    const id = `${mention.kind}:${mention.code}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(...explainAs(mention.kind, mention.code).slice(0, 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Finding codes in log text

function reasonOf(n: number): string | undefined {
  return entryOf('http', String(n))?.name ?? HTTP_REASONS.get(n);
}

/** True when `phrase` starts with the reason phrase of status `n` (spaces/case ignored). */
function reasonMatches(n: number, phrase: string): boolean {
  const reason = reasonOf(n);
  if (!reason) return false;
  const want = normName(reason);
  const got = normName(phrase);
  return got.startsWith(want) || (want === 'contenttoolarge' && got.startsWith('requestentitytoolarge'));
}

interface Pattern {
  readonly kind: TableKind;
  readonly re: RegExp;
  /** Turns the captured token into a normalised code, or undefined to reject the match. */
  readonly accept: (token: string, match: RegExpExecArray, text: string) => string | undefined;
}

const httpStatus = (token: string): string | undefined => {
  const n = Number(token);
  return n >= 100 && n <= 599 ? String(n) : undefined;
};

const STATUS_CONTEXT = /SMS_SERVICE_CONNECTOR|status\s*message|EndpointConnectivityCheck|STATMSG/i;

const PATTERNS: readonly Pattern[] = [
  {
    kind: 'aadsts',
    re: /(?<![A-Za-z0-9])(AADSTS\d{1,9})(?!\d)/dg,
    accept: (t) => 'AADSTS' + String(Number(t.slice(6))),
  },
  {
    // 0x80131509, 0x80072ee2 (failure HRESULTs only; 8 hex digits)
    kind: 'hresult',
    re: /(?<![0-9A-Za-z])(0[xX][89A-Fa-f][0-9A-Fa-f]{7})(?![0-9A-Za-z])/dg,
    accept: (t) => hex(parseInt(t.slice(2), 16) >>> 0, 8),
  },
  {
    // "hr=80070005", "HRESULT: 80072EE2", "error code 80131509"
    kind: 'hresult',
    re: /\b(?:hr|hresult|error(?:\s*code)?|exit\s*code|code)\s*(?:[:=]\s*)?\(?([89A-Fa-f][0-9A-Fa-f]{7})(?![0-9A-Za-z-])/dgi,
    accept: (t) => hex(parseInt(t, 16) >>> 0, 8),
  },
  {
    // signed decimal HRESULTs: -2146233079, -2147024891
    kind: 'hresult',
    re: /(?<![\d.\w-])(-2\d{9})(?![\d.])/dg,
    accept: (t) => {
      const n = Number(t);
      return n >= -0x80000000 ? hex(n >>> 0, 8) : undefined;
    },
  },
  {
    // unsigned decimal HRESULTs, only after an error keyword: "error 2147942405"
    kind: 'hresult',
    re: /\b(?:hr|hresult|error(?:\s*code)?|exit\s*code)\s*(?:[:=]\s*)?\(?(2\d{9})(?![\d.])/dgi,
    accept: (t) => {
      const n = Number(t);
      return n >= 0x80000000 && n <= 0xffffffff ? hex(n, 8) : undefined;
    },
  },
  {
    // "[GetNotifications] Response from https://x/api/gateway/Notification is: 204 (NoContent)"
    kind: 'http',
    re: /\bis:\s*(\d{3})(?=\s*\()/dg,
    accept: httpStatus,
  },
  {
    // "The remote server returned an error: (401) Unauthorized." / "(407) Proxy Authentication Required"
    kind: 'http',
    re: /\((\d{3})\)\s+([A-Z][A-Za-z]*(?:[ -][A-Za-z]+){0,4})/dg,
    accept: (t, m) => {
      const n = Number(t);
      return n >= 100 && n <= 599 && reasonMatches(n, m[2] ?? '') ? String(n) : undefined;
    },
  },
  {
    // "Response status code: 400 (BadRequest)", "StatusCode: 401", "status code 503"
    kind: 'http',
    re: /\bstatus\s*code\s*(?:is\s*)?(?:[:=]\s*)?(\d{3})(?!\d)/dgi,
    accept: httpStatus,
  },
  {
    // "HTTP 401", "HTTP/1.1 407", "HTTP status 503", "HTTP error 500"
    kind: 'http',
    re: /\bHTTP(?:\/\d(?:\.\d)?)?(?:\s+(?:status|error|code))?(?:\s*[:=])?\s+(\d{3})(?!\d)/dgi,
    accept: httpStatus,
  },
  {
    // "On-prem error code: 500 internal server error"
    kind: 'http',
    re: /\berror\s*code\s*(?:[:=]\s*)?([1-5]\d\d)(?!\d)(?=\s*(?:\(|internal|bad\b|not\s*found|forbidden|unauthori[sz]ed|service\s*unavailable|gateway|proxy|request|too\s*many))/dgi,
    accept: httpStatus,
  },
  {
    // Server-format status message lines: "STATMSG: ID=11411 SEV=W …"
    kind: 'status-message',
    re: /\bSTATMSG:\s*ID=(\d{1,6})(?!\d)/dg,
    accept: (t) => String(Number(t)),
  },
  {
    // "status message 11412", "Status message ID: 11411"
    kind: 'status-message',
    re: /\bstatus\s*message(?:\s*id)?\s*(?:[:=#]\s*)?(\d{3,6})(?!\d)/dgi,
    accept: (t) => String(Number(t)),
  },
  {
    // "MessageID 11411", "message id: 40805" — only IDs we know (MP_RelayMsgMgr has other message ids)
    kind: 'status-message',
    re: /\bmessage\s*id\s*(?:[:=#]\s*)?(\d{3,6})(?!\d)/dgi,
    accept: (t) => (entryOf('status-message', String(Number(t))) ? String(Number(t)) : undefined),
  },
  {
    // bare 11410–11412 when the line is clearly about SCP endpoint checks / status messages
    kind: 'status-message',
    re: /(?<![\d.])(1141[0-2])(?![\d.])/dg,
    accept: (t, _m, text) => (STATUS_CONTEXT.test(text) ? t : undefined),
  },
  {
    // symbolic WinHTTP / Winsock names
    kind: 'win32',
    re: /\b(ERROR_WINHTTP_[A-Z_]+|WSAE[A-Z]+|WSAHOST_NOT_FOUND|WSATRY_AGAIN|WSANO_DATA)\b/dg,
    accept: (t) => {
      const hit = getTables().byName.get(normName(t))?.find((h) => h.kind === 'win32');
      return hit?.entry.code;
    },
  },
  {
    // "WinHttpSendRequest failed 12002", "socket error 10060", "error 12029" (known codes only)
    kind: 'win32',
    re: /\b(?:winhttp\w*|wininet\w*|socket\s*error|SocketException|error(?:\s*code)?)\s*(?:failed\s*)?(?:[:=(]\s*)?(1[0-2]\d{3})(?![\d.])/dgi,
    accept: (t) => (entryOf('win32', t) ? t : undefined),
  },
];

/**
 * Finds the codes mentioned in a log message: `AADSTS\d+`, `0x8xxxxxxx` HRESULTs (and signed
 * decimal ones), HTTP statuses in the shapes the gateway workers and .NET use, ConfigMgr status
 * message IDs in context, and WinHTTP/Winsock errors. Sorted by position; offsets delimit the code
 * token itself. Never throws.
 */
export function findCodes(text: string): CodeMention[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const found: CodeMention[] = [];
  try {
    for (const p of PATTERNS) {
      p.re.lastIndex = 0;
      for (const m of text.matchAll(p.re)) {
        const token = m[1];
        const span = m.indices?.[1];
        if (token === undefined || !span) continue;
        const code = p.accept(token, m, text);
        if (code === undefined) continue;
        found.push({ kind: p.kind, code, start: span[0], end: span[1] });
      }
    }
  } catch {
    // A pathological input must not break log analysis; keep what was found.
  }
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: CodeMention[] = [];
  for (const m of found) {
    const clash = kept.some((k) => k.kind === m.kind && k.start < m.end && m.start < k.end);
    if (!clash) kept.push(m);
  }
  return kept;
}

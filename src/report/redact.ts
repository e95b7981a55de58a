/**
 * `--redact`: makes a report safe to attach to a ticket. Identifiers become stable placeholders
 * (the same value gets the same placeholder within one report, so correlation still reads);
 * anything that looks like a secret or token is dropped entirely.
 */

/** GUIDs that are public constants and carry meaning (CMPivot's script). Kept as they are. */
const PUBLIC_GUIDS = new Set(['7dc6b6f1-e7f6-43c1-96e0-e1d16bc25c14']);

/** Hosts that are Microsoft's public endpoints or CRL/OCSP servers: no customer data. */
const PUBLIC_HOST = /(^|\.)(microsoft\.com|microsoft\.us|microsoftonline\.com|windows\.net|azure\.com|aka\.ms|digicert\.com|d-trust\.net|msocsp\.com|visualstudio\.com|live\.com|office\.com|msauth\.net|msftauth\.net)$/i;

const GUID = /\{?\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b\}?/gi;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b/g;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
// Full form (8 groups) or compressed with `::`; times like 10:00:00 never match (no `::`, < 8 groups).
const IPV6 = /(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}))(?![\w:])/gi;
const URL_HOST = /\b(https?:\/\/)([^/\s:'"<>]+)/gi;
const FQDN = /\b(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.(?:local|lan|corp|internal|intra|contoso\.com|fabrikam\.com|[a-z]{2,24})\b/g;
const UNC = /\\\\([A-Za-z0-9._-]+)\\/g;

/** Secret-bearing shapes: removed, not pseudonymized (a placeholder would still say "a secret was here" — fine). */
const SECRETS: RegExp[] = [
  // The scheme as HTTP writes it, followed by something token-shaped (not `basic notification`).
  /\b(Bearer|Basic)\s+(?=[A-Za-z0-9\-._~+/]*[0-9+/=_~.-])[A-Za-z0-9\-._~+/]{8,}=*/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\b((?:client_?secret|secret(?:[ _]?key|[ _]?value)?|password|pwd|access_token|refresh_token|id_token|api[_-]?key|sig|code)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,'"<>]+)/gi,
  /\b[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_.~-]{20,}/g, // Entra client secret values
];

const ROLE_BEFORE: [RegExp, string][] = [
  [/tenant\s*(?:id)?\s*[:=]?\s*'?$|tenant\s+$/i, 'tenant'],
  [/aad\s*user\s*id\s*[:=]?\s*$|user\s*id\s*[:=]?\s*$|object\s*id\s*[:=]?\s*$/i, 'user'],
  [/(?:client|app(?:lication)?)\s*(?:id)?\s*[:=]?\s*'?$|app\s+'$|application with id\s*'?$/i, 'app'],
  [/activity\s*id\s*[:=]?\s*$|correlation\s*id\s*[:=]?\s*$|trace\s*id\s*[:=]?\s*$/i, 'activity'],
  [/task\s*guid\s*[:=]?\s*\{?$|taskid\s*[:=]?\s*\{?$/i, 'task'],
  [/notification\s*id\s*$/i, 'notification'],
  [/device\s*id\s*[:=]?\s*$/i, 'device'],
];

export interface Redactor {
  (text: string): string;
  /** Machine names known from the folder layout: always replaced. */
  addNames(names: Iterable<string>): void;
  /** How many distinct values were replaced, per kind (for the report footer). */
  stats(): Record<string, number>;
}

/** A redactor with its own placeholder table (one per report). */
export function createRedactor(): Redactor {
  const table = new Map<string, string>();
  const counters = new Map<string, number>();
  const names = new Set<string>();
  let namesRe: RegExp | null = null;

  const placeholder = (kind: string, value: string): string => {
    const key = `${value.toLowerCase()}`;
    const hit = table.get(key);
    if (hit) return hit;
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const p = `<${kind}-${n}>`;
    table.set(key, p);
    return p;
  };

  const hostPlaceholder = (host: string): string => (PUBLIC_HOST.test(host) ? host : placeholder('host', host));

  const redact = ((text: string): string => {
    if (!text) return text;
    let s = text;
    for (const re of SECRETS) {
      s = s.replace(re, (m, prefix: string | undefined) => {
        if (prefix && /[=:]\s*$/.test(prefix)) return `${prefix}[secret removed]`;
        if (prefix && /^(bearer|basic)$/i.test(prefix)) return `${prefix} [token removed]`;
        return '[secret removed]';
      });
    }
    s = s.replace(EMAIL, (m) => placeholder('upn', m));
    s = s.replace(GUID, (m, offset: number, whole: string) => {
      const bare = m.replace(/[{}]/g, '').toLowerCase();
      if (PUBLIC_GUIDS.has(bare)) return m;
      const before = whole.slice(Math.max(0, offset - 40), offset);
      const known = table.get(bare);
      if (known) return m.startsWith('{') ? `{${known}}` : known;
      let kind = 'guid';
      for (const [re, k] of ROLE_BEFORE) if (re.test(before)) { kind = k; break; }
      const p = placeholder(kind, bare);
      return m.startsWith('{') ? `{${p}}` : p;
    });
    if (namesRe) s = s.replace(namesRe, (m) => placeholder('machine', m));
    s = s.replace(URL_HOST, (_m, scheme: string, host: string) => scheme + hostPlaceholder(host));
    s = s.replace(UNC, (_m, host: string) => `\\\\${placeholder('host', host)}\\`);
    s = s.replace(IPV4, (m) => (m === '127.0.0.1' || m === '0.0.0.0' ? m : placeholder('ip', m)));
    s = s.replace(IPV6, (m) => (m === '::' || m === '::1' ? m : placeholder('ip', m)));
    s = s.replace(FQDN, (m) => {
      if (!m.includes('.') || PUBLIC_HOST.test(m) || /\.(log|lo_|cpp|cs|exe|dll|xml|json|txt|config|box|bts|zip|yaml|ps1|mof|sql|h|net)$/i.test(m)) return m;
      if (/^(System|Microsoft|Windows|ConfigMgr|SMS)\./.test(m)) return m;
      // Only names whose last label is a domain-ish TLD a customer would use.
      if (!/\.(com|net|org|local|lan|corp|internal|intra|gov|edu|[a-z]{2})$/i.test(m)) return m;
      return placeholder('host', m);
    });
    return s;
  }) as Redactor;

  redact.addNames = (list: Iterable<string>) => {
    for (const n of list) if (n && n.length >= 3) names.add(n);
    if (names.size === 0) return;
    const alt = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    namesRe = new RegExp(`(?<![A-Za-z0-9])(?:${alt})(?![A-Za-z0-9])`, 'gi');
  };
  redact.stats = () => Object.fromEntries(counters);
  return redact;
}

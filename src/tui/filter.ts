/**
 * The row filter typed after `f`: `sev:error log:Bgb comp:SMS text:foo`, every term must hold.
 *
 *   sev:error | sev:e,w | sev:warn+      severity (warn+ = warning or worse)
 *   log:Bgb                              log name contains (case-insensitive)
 *   comp:SMS_REST                        component contains
 *   text:timeout | text:/0x8\d+/         message contains / matches a regex
 *   timeout                              a bare word is text:
 *   -log:Notify | !text:heartbeat        a leading - or ! negates a term
 *   "two words" / text:"two words"       quotes keep spaces
 *
 * Values separated by commas are alternatives (`log:Bgb,Ccm`). Pure and unit-tested.
 */
import type { LogRecord, Severity } from '../../parsers/types.js';

export type FilterField = 'sev' | 'log' | 'comp' | 'text';

export interface FilterTerm {
  field: FilterField;
  negate: boolean;
  /** sev: severities; log/comp/text: lower-case substrings (alternatives). */
  values: string[];
  /** text:/re/ — a compiled regex instead of substrings. */
  regex?: RegExp;
}

export interface RowFilter {
  /** The text it was parsed from, normalised (for display and to edit again). */
  source: string;
  terms: FilterTerm[];
}

const FIELD_ALIASES: Record<string, FilterField> = {
  sev: 'sev', severity: 'sev', s: 'sev', level: 'sev',
  log: 'log', l: 'log', source: 'log',
  comp: 'comp', component: 'comp', c: 'comp',
  text: 'text', t: 'text', msg: 'text', message: 'text',
};

const SEVERITY_WORDS: Record<string, Severity[]> = {
  e: ['error'], err: ['error'], error: ['error'], errors: ['error'],
  w: ['warning'], warn: ['warning'], warning: ['warning'], warnings: ['warning'],
  i: ['info'], info: ['info'],
  u: ['unknown'], unknown: ['unknown'], none: ['unknown'],
  'w+': ['warning', 'error'], 'warn+': ['warning', 'error'], 'warning+': ['warning', 'error'],
  'e+': ['error'], 'error+': ['error'],
  'i+': ['info', 'warning', 'error'], 'info+': ['info', 'warning', 'error'],
};

/** Splits at spaces outside double quotes; quotes are removed. */
export function splitTerms(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  let any = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuote = !inQuote;
      any = true;
      continue;
    }
    if (!inQuote && /\s/.test(ch)) {
      if (any) out.push(cur);
      cur = '';
      any = false;
      continue;
    }
    cur += ch;
    any = true;
  }
  if (any) out.push(cur);
  return out;
}

/**
 * Parses filter text. An empty text gives `filter: null` (no filter). Problems (unknown field,
 * bad severity, bad regex) are reported and the term is skipped; the rest still applies.
 */
export function parseFilter(text: string): { filter: RowFilter | null; errors: string[] } {
  const errors: string[] = [];
  const terms: FilterTerm[] = [];
  for (const raw of splitTerms(text.trim())) {
    let t = raw;
    let negate = false;
    if (/^[-!]./.test(t)) {
      negate = true;
      t = t.slice(1);
    }
    let field: FilterField = 'text';
    let value = t;
    const m = /^([A-Za-z]+):(.*)$/s.exec(t);
    if (m) {
      const f = FIELD_ALIASES[m[1]!.toLowerCase()];
      if (!f) {
        errors.push(`unknown filter field "${m[1]}" (use sev:, log:, comp:, text:)`);
        continue;
      }
      field = f;
      value = m[2]!;
    }
    if (value === '') {
      errors.push(`"${raw}" has no value`);
      continue;
    }
    if (field === 'sev') {
      const sevs = new Set<Severity>();
      let bad = false;
      for (const v of value.toLowerCase().split(',').filter(Boolean)) {
        const s = SEVERITY_WORDS[v];
        if (!s) {
          errors.push(`unknown severity "${v}" (use error, warning, info, unknown, or warn+)`);
          bad = true;
          continue;
        }
        for (const x of s) sevs.add(x);
      }
      if (sevs.size === 0) {
        if (!bad) errors.push(`"${raw}" has no severity`);
        continue;
      }
      terms.push({ field, negate, values: [...sevs] });
      continue;
    }
    if (field === 'text' && value.length > 2 && value.startsWith('/') && value.endsWith('/')) {
      try {
        terms.push({ field, negate, values: [], regex: new RegExp(value.slice(1, -1), 'i') });
      } catch (e) {
        errors.push(`invalid regex ${value}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
      continue;
    }
    terms.push({ field, negate, values: value.toLowerCase().split(',').filter(Boolean) });
  }
  if (terms.length === 0) return { filter: null, errors };
  return { filter: { source: describeTerms(terms), terms }, errors };
}

function describeTerms(terms: FilterTerm[]): string {
  return terms
    .map((t) => {
      const v = t.regex ? `/${t.regex.source}/` : t.values.map((x) => (/\s/.test(x) ? `"${x}"` : x)).join(',');
      return `${t.negate ? '-' : ''}${t.field}:${v}`;
    })
    .join(' ');
}

function termHolds(t: FilterTerm, rec: LogRecord): boolean {
  switch (t.field) {
    case 'sev':
      return t.values.includes(rec.severity);
    case 'log': {
      const l = rec.log.toLowerCase();
      return t.values.some((v) => l.includes(v));
    }
    case 'comp': {
      const c = rec.component.toLowerCase();
      return t.values.some((v) => c.includes(v));
    }
    case 'text': {
      if (t.regex) return t.regex.test(rec.message);
      const m = rec.message.toLowerCase();
      return t.values.some((v) => m.includes(v));
    }
  }
}

/** Whether a record passes every term. */
export function matchesFilter(f: RowFilter, rec: LogRecord): boolean {
  for (const t of f.terms) if (termHolds(t, rec) === t.negate) return false;
  return true;
}

/** Whether a filter looks at the records' text (component or message), which the record index does not hold. */
export function needsText(f: RowFilter): boolean {
  return f.terms.some((t) => t.field === 'comp' || t.field === 'text');
}

/** The terms the record index answers by itself: which severities and which logs pass. */
export interface IndexTerms {
  severity: Record<Severity, boolean>;
  log(log: string): boolean;
}

export function indexTerms(f: RowFilter): IndexTerms {
  const sevTerms = f.terms.filter((t) => t.field === 'sev');
  const logTerms = f.terms.filter((t) => t.field === 'log');
  const sevOk = (s: Severity) => sevTerms.every((t) => t.values.includes(s) !== t.negate);
  return {
    severity: { error: sevOk('error'), warning: sevOk('warning'), info: sevOk('info'), unknown: sevOk('unknown') },
    log: (log) => {
      const l = log.toLowerCase();
      return logTerms.every((t) => t.values.some((v) => l.includes(v)) !== t.negate);
    },
  };
}

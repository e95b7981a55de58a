/**
 * The rule engine: runs the catalog (rules/*.yaml, see schema.ts) over what the analysis core
 * feeds it. Text matchers see every record as it arrives (`observe`, with a literal prefilter so
 * the regex runs only on candidate messages); event matchers and the time logic (threshold,
 * sequence, absence) run in `evaluate`, over the UTC-sorted events including the core's synthetic
 * `cycle.*`, `chain.*` and `source.*` events.
 *
 * A hit is one occurrence: a record, or an event. The same occurrence seen twice by one rule
 * (a text matcher on a record and an event read from that record, or two matchers) counts once.
 */
import type { FieldValue, LogRecord } from '../../../parsers/types.js';
import type { Evidence, Finding, FindingSeverity, RankedCause, SortedEvent, SourceSummary } from '../model.js';
import { LiteralScanner, requiredLiterals } from './literal.js';
import { parseDuration, PLACEHOLDER_RE } from './rule-text.js';
import type { Condition, Matcher, Rule } from './schema.js';

export interface RuleContext {
  /** Sorted by sortMs then seq. */
  events: SortedEvent[];
  sources: SourceSummary[];
  /** Analysis end: the latest UTC seen in any log, or a user-given end. */
  endMs: number | null;
}

/** How much evidence a finding keeps: the first and the last EVIDENCE_HALF hits. */
export const EVIDENCE_HALF = 10;
/** Longest message text a regex runs on. */
export const MAX_MATCH_TEXT = 65_536;
/** Text hits kept per rule and matcher role; beyond it only the count grows. */
export const MAX_STORED_HITS = 100_000;

type Role = 'any' | 'unless' | 'first' | 'then' | 'of' | 'reset';

interface CompiledCondition {
  field: string;
  test: (value: FieldValue | undefined) => boolean;
}

interface CompiledMatcher {
  rule: CompiledRule;
  role: Role;
  /** Lower-cased log kinds/names, or null for any log. */
  logs: Set<string> | null;
  re: RegExp | null;
  literals: string[][] | null;
  /** Index among the engine's text matchers, and the scanner ids of its literals per alternative. */
  index: number;
  literalIds: number[][] | null;
  kind: string | null;
  kindRe: RegExp | null;
  where: CompiledCondition[];
}

/** The text matchers that apply to one log. */
interface TextPlan {
  /** How many apply. */
  count: number;
  /** By text-matcher index: 1 when it applies. */
  applies: Uint8Array;
  /** Those that run on every message (no literal prefilter). */
  always: CompiledMatcher[];
  /** Whether any of them has a prefilter (then the scanner runs). */
  scanned: boolean;
}

interface Hit {
  ms: number;
  utcMs: number | null;
  order: number;
  log: string;
  path: string;
  line: number;
  local: string | null;
  text: string;
  fields: Record<string, FieldValue>;
  /** Identity of the occurrence: record keys (`path\0line`), or `#seq` for synthetic events. */
  keys: string[];
}

interface TextStore {
  hits: Hit[];
  overflow: number;
}

interface CompiledRule {
  rule: Rule;
  mode: 'match' | 'sequence' | 'absence';
  matchers: Map<Role, CompiledMatcher[]>;
  text: Map<Role, TextStore>;
  /** Records a text `unless` matcher hit. */
  unlessKeys: Set<string>;
  windowMs: number;
  windowText: string;
  thresholdCount: number;
  seqKey: string | null;
  requireLog: string | null;
  whileLog: string | null;
}

const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };
const SYNTHETIC_KIND_RE = /^(?:cycle|chain|source)\./;

function recordKey(path: string, line: number): string {
  return `${path}\u0000${line}`;
}

function iso(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

function firstLineOf(text: string): string {
  const i = text.search(/[\r\n]/);
  return i < 0 ? text : text.slice(0, i);
}

/** `47m`, `2h 5m`, `1d 3h`, `30s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

// ---------------------------------------------------------------------------------------------
// Conditions

function asNumber(v: FieldValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(v)) return Number(v);
  return Number.NaN;
}

function sameValue(a: FieldValue | undefined, b: FieldValue): boolean {
  if (a === undefined || a === null || b === null) return (a ?? null) === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return String(a).toLowerCase() === String(b).toLowerCase();
}

function compileCondition(field: string, cond: Condition): CompiledCondition {
  if (cond === null || typeof cond !== 'object') return { field, test: (v) => sameValue(v, cond) };
  const tests: ((v: FieldValue | undefined) => boolean)[] = [];
  if (cond.eq !== undefined) {
    const eq = cond.eq;
    tests.push((v) => sameValue(v, eq));
  }
  if (cond.ne !== undefined) {
    const ne = cond.ne;
    tests.push((v) => !sameValue(v, ne));
  }
  if (cond.in !== undefined) {
    const list = cond.in;
    tests.push((v) => list.some((x) => sameValue(v, x)));
  }
  if (cond.notIn !== undefined) {
    const list = cond.notIn;
    tests.push((v) => !list.some((x) => sameValue(v, x)));
  }
  const cmp = (bound: number | undefined, ok: (n: number, b: number) => boolean): void => {
    if (bound !== undefined) tests.push((v) => ok(asNumber(v), bound));
  };
  cmp(cond.gte, (n, b) => n >= b);
  cmp(cond.lte, (n, b) => n <= b);
  cmp(cond.gt, (n, b) => n > b);
  cmp(cond.lt, (n, b) => n < b);
  if (cond.regex !== undefined) {
    const re = new RegExp(cond.regex, cond.flags ?? '');
    tests.push((v) => v !== undefined && v !== null && re.test(String(v).slice(0, MAX_MATCH_TEXT)));
  }
  if (cond.exists !== undefined) {
    const want = cond.exists;
    tests.push((v) => (v !== undefined && v !== null && v !== '') === want);
  }
  return { field, test: (v) => tests.every((t) => t(v)) };
}

function globToRegExp(glob: string): RegExp {
  const src = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${src}$`, 'i');
}

// ---------------------------------------------------------------------------------------------
// The engine

export class RuleEngine {
  /** ids of the rules evaluated (for junit). */
  readonly ruleIds: string[];
  private readonly rules: CompiledRule[] = [];
  private readonly textMatchers: CompiledMatcher[] = [];
  /** Finds the prefilter literals of every text matcher in one pass (null: run every regex). */
  private readonly scanner: LiteralScanner | null;
  /** By scanner literal id: the text matchers one of whose alternatives begins with it. */
  private readonly byFirstLiteral: number[][] = [];
  private readonly visited: Uint32Array;
  private visitStamp = 0;
  private readonly eventByKind = new Map<string, CompiledMatcher[]>();
  private readonly eventGlobs: CompiledMatcher[] = [];
  /** Text matchers that apply, by log kind then log name, as given. */
  private readonly textCache = new Map<string, Map<string, TextPlan>>();
  /** Record times per log kind and per log name as given (and `*` for any), when an absence rule needs them. */
  private readonly activity: Map<string, { times: number[]; sorted: boolean }> | null;
  private order = 0;

  constructor(rules: Rule[]) {
    this.ruleIds = rules.map((r) => r.id);
    let needActivity = false;
    for (const rule of rules) {
      const cr = this.compileRule(rule);
      this.rules.push(cr);
      if (cr.mode === 'absence') needActivity = true;
    }
    this.activity = needActivity ? new Map() : null;

    const ids = new Map<string, number>();
    for (const m of this.textMatchers) {
      m.literalIds =
        m.literals?.map((branch) =>
          branch.map((lit) => {
            let id = ids.get(lit);
            if (id === undefined) ids.set(lit, (id = ids.size));
            return id;
          }),
        ) ?? null;
    }
    this.scanner = ids.size > 0 ? LiteralScanner.build([...ids.keys()]) : null;
    for (const m of this.textMatchers) {
      if (!this.scanner) m.literalIds = null;
      for (const branch of m.literalIds ?? []) {
        const first = branch[0];
        if (first === undefined) continue;
        const list = (this.byFirstLiteral[first] ??= []);
        if (!list.includes(m.index)) list.push(m.index);
      }
    }
    this.visited = new Uint32Array(this.textMatchers.length);
  }

  private compileRule(rule: Rule): CompiledRule {
    const mode = rule.match ? 'match' : rule.sequence ? 'sequence' : rule.absence ? 'absence' : null;
    if (mode === null) throw new Error(`rule ${rule.id}: needs one of match, sequence or absence`);
    const windowText = rule.threshold?.within ?? rule.sequence?.within ?? rule.absence?.for ?? '';
    const windowMs = windowText === '' ? 0 : parseDuration(windowText);
    if (windowMs === null) throw new Error(`rule ${rule.id}: bad duration ${windowText}`);
    const cr: CompiledRule = {
      rule,
      mode,
      matchers: new Map(),
      text: new Map(),
      unlessKeys: new Set(),
      windowMs,
      windowText,
      thresholdCount: rule.threshold?.count ?? 1,
      seqKey: rule.sequence?.key ?? null,
      requireLog: rule.sequence?.requireLog?.toLowerCase() ?? null,
      whileLog: rule.absence?.whileLog?.toLowerCase() ?? null,
    };
    const add = (role: Role, m: Matcher): void => {
      const cm = this.compileMatcher(cr, role, m, this.textMatchers.length);
      const list = cr.matchers.get(role) ?? [];
      list.push(cm);
      cr.matchers.set(role, list);
      if (cm.re) {
        this.textMatchers.push(cm);
        if (!cr.text.has(role)) cr.text.set(role, { hits: [], overflow: 0 });
      } else if (cm.kindRe) {
        this.eventGlobs.push(cm);
      } else if (cm.kind !== null) {
        const key = cm.kind.toLowerCase();
        const list2 = this.eventByKind.get(key) ?? [];
        list2.push(cm);
        this.eventByKind.set(key, list2);
      }
    };
    for (const m of rule.match?.any ?? []) add('any', m);
    for (const m of rule.match?.unless ?? []) add('unless', m);
    if (rule.threshold?.resetOn) add('reset', rule.threshold.resetOn);
    if (rule.sequence) {
      add('first', rule.sequence.first);
      add('then', rule.sequence.then);
    }
    if (rule.absence) add('of', rule.absence.of);
    return cr;
  }

  private compileMatcher(rule: CompiledRule, role: Role, m: Matcher, index: number): CompiledMatcher {
    const logs = m.logs ? new Set(m.logs.map((l) => l.toLowerCase())) : null;
    const base = { rule, role, logs, re: null, literals: null, index, literalIds: null, kind: null, kindRe: null, where: [] };
    if (m.text !== undefined) {
      const flags = m.flags ?? '';
      let re: RegExp;
      try {
        re = new RegExp(m.text, flags);
      } catch (e) {
        throw new Error(`rule ${rule.rule.id}: invalid regex ${m.text}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return { ...base, re, literals: requiredLiterals(m.text, flags) };
    }
    const kind = m.event ?? '';
    const where = Object.entries(m.where ?? {}).map(([f, c]) => compileCondition(f, c));
    return /[*?]/.test(kind) ? { ...base, kindRe: globToRegExp(kind), where } : { ...base, kind, where };
  }

  private textPlanFor(kind: string, log: string): TextPlan {
    let byLog = this.textCache.get(kind);
    if (!byLog) {
      if (this.textCache.size > 1000) this.textCache.clear();
      byLog = new Map();
      this.textCache.set(kind, byLog);
    }
    let list = byLog.get(log);
    if (!list) {
      const k = kind.toLowerCase();
      const l = log.toLowerCase();
      const applying = this.textMatchers.filter((m) => m.logs === null || m.logs.has(k) || m.logs.has(l));
      const applies = new Uint8Array(this.textMatchers.length);
      for (const m of applying) applies[m.index] = 1;
      list = {
        count: applying.length,
        applies,
        always: applying.filter((m) => m.literalIds === null),
        scanned: applying.some((m) => m.literalIds !== null),
      };
      if (byLog.size > 1000) byLog.clear();
      byLog.set(log, list);
    }
    return list;
  }

  private noteActivity(key: string, ms: number): void {
    const act = this.activity;
    if (!act) return;
    let a = act.get(key);
    if (!a) {
      a = { times: [], sorted: true };
      act.set(key, a);
    }
    const last = a.times[a.times.length - 1];
    if (last === ms) return;
    if (last !== undefined && ms < last) a.sorted = false;
    a.times.push(ms);
  }

  /** Called by the core for every record (kind = canonical log kind). */
  observe(record: LogRecord, kind: string, sortMs: number): void {
    const order = this.order++;
    const ms = record.utcMs ?? sortMs;
    if (this.activity && Number.isFinite(ms)) {
      this.noteActivity('*', ms);
      this.noteActivity(kind, ms);
      if (record.log !== kind) this.noteActivity(record.log, ms);
    }
    const plan = this.textPlanFor(kind, record.log);
    if (plan.count === 0) return;
    const message = typeof record.message === 'string' ? record.message : String(record.message);
    const text = message.length > MAX_MATCH_TEXT ? message.slice(0, MAX_MATCH_TEXT) : message;
    let run = plan.always;
    const scanner = this.scanner;
    if (scanner && plan.scanned) {
      scanner.scan(text);
      if (scanner.found.length > 0) {
        run = [...plan.always];
        this.visitStamp = this.visitStamp === 0xffffffff ? 1 : this.visitStamp + 1;
        if (this.visitStamp === 1) this.visited.fill(0);
        for (const id of scanner.found) {
          for (const mi of this.byFirstLiteral[id] ?? []) {
            if (plan.applies[mi] !== 1 || this.visited[mi] === this.visitStamp) continue;
            const m = this.textMatchers[mi];
            if (!m?.literalIds?.some((branch) => branch.every((lid) => scanner.has(lid)))) continue;
            this.visited[mi] = this.visitStamp;
            run.push(m);
          }
        }
      }
    }
    if (run.length === 0) return;
    const key = recordKey(record.path, record.line);
    for (const m of run) {
      const re = m.re;
      if (!re) continue;
      const found = re.exec(text);
      if (!found) continue;
      const cr = m.rule;
      if (m.role === 'unless') {
        cr.unlessKeys.add(key);
        continue;
      }
      const store = cr.text.get(m.role);
      if (!store) continue;
      const fields: Record<string, FieldValue> = {};
      for (const [name, value] of Object.entries(found.groups ?? {})) fields[name] = value ?? null;
      const prev = store.hits[store.hits.length - 1];
      if (prev && prev.keys[0] === key) {
        for (const [k, v] of Object.entries(fields)) if (prev.fields[k] === undefined || prev.fields[k] === null) prev.fields[k] = v;
        continue;
      }
      if (store.hits.length >= MAX_STORED_HITS) {
        store.overflow++;
        continue;
      }
      store.hits.push({
        ms: sortMs,
        utcMs: record.utcMs,
        order,
        log: record.log,
        path: record.path,
        line: record.line,
        local: record.localText,
        text: firstLineOf(text).slice(0, 2000),
        fields,
        keys: [key],
      });
    }
  }

  /** Pure over its inputs and what observe() collected. */
  evaluate(ctx: RuleContext): Finding[] {
    const sourceKind = new Map<string, string>();
    for (const s of ctx.sources) sourceKind.set(s.id, s.kind.toLowerCase());

    // Event hits, per rule and role.
    const eventHits = new Map<CompiledRule, Map<Role, Hit[]>>();
    const unlessEventKeys = new Map<CompiledRule, Set<string>>();
    const globCache = new Map<string, CompiledMatcher[]>();
    for (const e of ctx.events) {
      const kindKey = String(e.kind).toLowerCase();
      let globs = globCache.get(kindKey);
      if (!globs) {
        globs = this.eventGlobs.filter((m) => m.kindRe?.test(kindKey));
        globCache.set(kindKey, globs);
      }
      const exact = this.eventByKind.get(kindKey);
      if (!exact && globs.length === 0) continue;
      let hit: Hit | null = null;
      for (const m of exact ? (globs.length ? [...exact, ...globs] : exact) : globs) {
        if (!this.eventMatches(m, e, sourceKind)) continue;
        hit ??= eventHit(e);
        if (m.role === 'unless') {
          let set = unlessEventKeys.get(m.rule);
          if (!set) unlessEventKeys.set(m.rule, (set = new Set()));
          for (const k of hit.keys) set.add(k);
          continue;
        }
        let roles = eventHits.get(m.rule);
        if (!roles) eventHits.set(m.rule, (roles = new Map()));
        let list = roles.get(m.role);
        if (!list) roles.set(m.role, (list = []));
        if (list[list.length - 1] !== hit) list.push(hit);
      }
    }

    const findings: Finding[] = [];
    for (const cr of this.rules) {
      const roles = eventHits.get(cr);
      const unless = unlessEventKeys.get(cr);
      const hitsOf = (role: Role): { hits: Hit[]; overflow: number } => this.mergeHits(cr, role, roles?.get(role) ?? [], unless);
      let finding: Finding | null = null;
      if (cr.mode === 'match') finding = this.evalMatch(cr, hitsOf('any'), hitsOf('reset').hits);
      else if (cr.mode === 'sequence') finding = this.evalSequence(cr, hitsOf('first').hits, hitsOf('then').hits, ctx);
      else finding = this.evalAbsence(cr, hitsOf('of').hits, ctx);
      if (finding) findings.push(finding);
    }
    return findings.sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        (a.firstUtc === b.firstUtc ? 0 : a.firstUtc === null ? 1 : b.firstUtc === null ? -1 : a.firstUtc < b.firstUtc ? -1 : 1) ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
    );
  }

  private eventMatches(m: CompiledMatcher, e: SortedEvent, sourceKind: Map<string, string>): boolean {
    if (m.logs) {
      const kinds = [e.logKind, sourceKind.get(e.sourceId), e.log];
      if (!kinds.some((k) => typeof k === 'string' && k !== '' && m.logs?.has(k.toLowerCase()))) return false;
    }
    const fields = e.fields ?? {};
    for (const c of m.where) {
      const v = Object.prototype.hasOwnProperty.call(fields, c.field) ? fields[c.field] : undefined;
      if (!c.test(v)) return false;
    }
    return true;
  }

  /** Event hits and text hits of one role, one per occurrence, in time order, without `unless` hits. */
  private mergeHits(cr: CompiledRule, role: Role, events: Hit[], unlessEvents: Set<string> | undefined): { hits: Hit[]; overflow: number } {
    const store = cr.text.get(role);
    const texts = store?.hits ?? [];
    const unlessText = role === 'unless' ? [] : (cr.matchers.get('unless') ?? []).filter((m) => m.re !== null);
    const excluded = (h: Hit): boolean => {
      for (const k of h.keys) if (cr.unlessKeys.has(k) || unlessEvents?.has(k)) return true;
      return false;
    };
    const byKey = new Map<string, Hit>();
    const out: Hit[] = [];
    const take = (h: Hit, fromEvent: boolean): void => {
      if (excluded(h)) return;
      if (fromEvent && unlessText.some((m) => m.re?.test(h.text))) return;
      for (const k of h.keys) {
        const seen = byKey.get(k);
        if (seen) {
          for (const [f, v] of Object.entries(h.fields)) if (seen.fields[f] === undefined || seen.fields[f] === null) seen.fields[f] = v;
          return;
        }
      }
      const copy: Hit = { ...h, fields: { ...h.fields } };
      for (const k of h.keys) byKey.set(k, copy);
      out.push(copy);
    };
    for (const h of events) take(h, true);
    for (const h of texts) take(h, false);
    if (events.length > 0 && texts.length > 0) out.sort(compareHits);
    return { hits: out, overflow: store?.overflow ?? 0 };
  }

  private evalMatch(cr: CompiledRule, any: { hits: Hit[]; overflow: number }, resets: Hit[]): Finding | null {
    if (cr.rule.threshold === undefined) {
      if (any.hits.length === 0) return null;
      return this.finding(cr, any.hits, any.hits.length + any.overflow, {});
    }
    const hits = thresholdHits(any.hits, cr.thresholdCount, cr.windowMs, resets);
    if (hits.length === 0) return null;
    return this.finding(cr, hits, hits.length, {});
  }

  private evalSequence(cr: CompiledRule, firsts: Hit[], thens: Hit[], ctx: RuleContext): Finding | null {
    const T = cr.windowMs;
    const end = ctx.endMs;
    if (end === null || !Number.isFinite(end)) return null;
    const key = cr.seqKey;
    const keyOf = (h: Hit): string | null => {
      if (key === null) return null;
      const v = h.fields[key];
      return v === undefined || v === null || v === '' ? null : String(v).toLowerCase();
    };
    const thenTimes = new Map<string, number[]>();
    for (const h of thens) {
      if (!Number.isFinite(h.ms)) continue;
      const k = key === null ? '' : keyOf(h);
      if (k === null) continue;
      const list = thenTimes.get(k) ?? [];
      list.push(h.ms);
      thenTimes.set(k, list);
    }
    for (const list of thenTimes.values()) list.sort((a, b) => a - b);
    const require = cr.requireLog;
    const covers = (from: number, to: number): boolean =>
      ctx.sources.some(
        (s) =>
          (s.kind.toLowerCase() === require || s.name.toLowerCase() === require) &&
          s.firstUtcMs !== null &&
          s.lastUtcMs !== null &&
          s.firstUtcMs <= from &&
          s.lastUtcMs >= to,
      );
    const out: Hit[] = [];
    for (const a of firsts) {
      if (!Number.isFinite(a.ms) || end < a.ms + T) continue;
      if (require !== null && !covers(a.ms, a.ms + T)) continue;
      const k = key === null ? '' : keyOf(a);
      if (k === null) continue;
      // With a key, a `then` a little before `first` also counts: clocks on different machines drift.
      const from = key === null ? a.ms : a.ms - T;
      const list = thenTimes.get(k) ?? [];
      const i = lowerBound(list, from);
      const followed = i < list.length && (list[i] ?? Infinity) <= a.ms + T;
      if (!followed) out.push(a);
    }
    if (out.length === 0) return null;
    return this.finding(cr, out, out.length, {});
  }

  private evalAbsence(cr: CompiledRule, hits: Hit[], ctx: RuleContext): Finding | null {
    const T = cr.windowMs;
    const timed = hits.filter((h) => Number.isFinite(h.ms));
    const end = ctx.endMs !== null && Number.isFinite(ctx.endMs) ? ctx.endMs : null;
    const gaps: Hit[] = [];
    let longest = 0;
    for (let i = 0; i < timed.length; i++) {
      const h = timed[i];
      if (!h) continue;
      const next = timed[i + 1];
      const gapEnd = next ? next.ms : end;
      if (gapEnd === null || gapEnd - h.ms <= T) continue;
      // A gap that ends with a hit must show writing before that hit; the final gap, up to the end.
      if (!this.wroteBetween(cr.whileLog, h.ms + T, gapEnd, next !== undefined, ctx.sources)) continue;
      gaps.push(h);
      longest = Math.max(longest, gapEnd - h.ms);
    }
    if (gaps.length === 0) return null;
    return this.finding(cr, gaps, gaps.length, { gap: formatDuration(longest) });
  }

  /** Whether the log (any log when null) has a record in (from, to], or (from, to) when `openEnd`. */
  private wroteBetween(log: string | null, from: number, to: number, openEnd: boolean, sources: SourceSummary[]): boolean {
    let observed = false;
    for (const [key, a] of this.activity ?? []) {
      if (log === null ? key !== '*' : key === '*' || key.toLowerCase() !== log) continue;
      if (a.times.length === 0) continue;
      observed = true;
      if (!a.sorted) {
        a.times.sort((x, y) => x - y);
        a.sorted = true;
      }
      const i = upperBound(a.times, from);
      const t = a.times[i];
      if (t !== undefined && (openEnd ? t < to : t <= to)) return true;
    }
    if (observed) return false;
    // Nothing observed for that log (events given without records): the source summaries say
    // whether it wrote after the gap had lasted long enough.
    return sources.some(
      (s) =>
        (log === null || s.kind.toLowerCase() === log || s.name.toLowerCase() === log) &&
        s.lastUtcMs !== null &&
        s.firstUtcMs !== null &&
        s.lastUtcMs > from &&
        s.firstUtcMs < to,
    );
  }

  private finding(cr: CompiledRule, hits: Hit[], count: number, extra: { gap?: string }): Finding {
    const rule = cr.rule;
    const evidence: Evidence[] = (hits.length > 2 * EVIDENCE_HALF ? [...hits.slice(0, EVIDENCE_HALF), ...hits.slice(-EVIDENCE_HALF)] : hits).map(
      (h) => ({ log: h.log, path: h.path, line: h.line, utc: iso(h.utcMs), local: h.local, text: h.text }),
    );
    let firstUtc: string | null = null;
    let lastUtc: string | null = null;
    for (const h of hits) {
      const t = iso(h.utcMs);
      if (t === null) continue;
      if (firstUtc === null || t < firstUtc) firstUtc = t;
      if (lastUtc === null || t > lastUtc) lastUtc = t;
    }
    const first = hits[0];
    const values: Record<string, string> = {
      count: String(count),
      first: firstUtc ?? 'an unknown time',
      last: lastUtc ?? 'an unknown time',
      log: first?.log ?? '?',
      within: cr.windowText,
      gap: extra.gap ?? cr.windowText,
    };
    const fill = (template: string): string =>
      template.replace(PLACEHOLDER_RE, (all, name: string) => {
        if (name.startsWith('field.')) {
          const v = first?.fields[name.slice(6)];
          return v === undefined || v === null || v === '' ? '?' : String(v);
        }
        return values[name] ?? all;
      });
    const causes: RankedCause[] = (rule.causes ?? []).map((c, i) => ({ rank: i + 1, cause: c.cause, tellApart: c.tellApart }));
    return {
      ruleId: rule.id,
      severity: rule.severity,
      title: fill(rule.title),
      explanation: fill(rule.explanation).trim(),
      remediation: [...rule.remediation],
      docs: [...rule.docs],
      causes,
      count,
      firstUtc,
      lastUtc,
      evidence,
    };
  }
}

function eventHit(e: SortedEvent): Hit {
  const refs = Array.isArray(e.refs) ? e.refs : [];
  const synthetic = SYNTHETIC_KIND_RE.test(String(e.kind)) || refs.length === 0;
  const ref = refs[0];
  return {
    ms: e.sortMs,
    utcMs: e.utcMs,
    order: e.seq,
    log: e.log,
    path: ref?.path ?? '',
    line: ref?.line ?? 0,
    local: e.localText,
    text: firstLineOf(typeof e.text === 'string' && e.text !== '' ? e.text : String(e.summary ?? '')),
    fields: { ...(e.fields ?? {}) },
    keys: synthetic ? [`#${e.seq}`] : refs.map((r) => recordKey(r.path, r.line)),
  };
}

function compareHits(a: Hit, b: Hit): number {
  if (a.ms < b.ms) return -1;
  if (a.ms > b.ms) return 1;
  return a.order - b.order;
}

/** First index whose value is ≥ x. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] ?? Infinity) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x. */
function upperBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] ?? Infinity) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The hits that belong to a burst: `count` or more hits within `within` ms of each other
 * (inclusive), never across a reset hit. Hits without a time take no part.
 */
function thresholdHits(hits: Hit[], count: number, within: number, resets: Hit[]): Hit[] {
  const timed = hits.filter((h) => Number.isFinite(h.ms));
  const resetTimes = resets
    .map((r) => r.ms)
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  const segment = (ms: number): number => lowerBound(resetTimes, ms);
  const n = timed.length;
  const mark = new Int32Array(n + 1);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const hi = timed[i];
    if (!hi) continue;
    const seg = segment(hi.ms);
    if (j < i) j = i;
    for (;;) {
      const next = timed[j + 1];
      if (!next || next.ms - hi.ms > within || segment(next.ms) !== seg) break;
      j++;
    }
    if (j - i + 1 >= count) {
      mark[i] = (mark[i] ?? 0) + 1;
      mark[j + 1] = (mark[j + 1] ?? 0) - 1;
    }
  }
  const out: Hit[] = [];
  let run = 0;
  for (let i = 0; i < n; i++) {
    run += mark[i] ?? 0;
    const h = timed[i];
    if (run > 0 && h) out.push(h);
  }
  return out;
}

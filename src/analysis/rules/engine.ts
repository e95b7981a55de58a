/**
 * The rule engine: runs the catalog (rules/*.yaml, see schema.ts) over what the analysis core
 * feeds it. Text matchers see every record as it arrives (`observe`, with a literal prefilter so
 * the regex runs only on candidate messages) and event matchers every event as it is extracted
 * (`observeEvent`), so the core need not keep events for the rules; the time logic (threshold,
 * sequence, absence) runs in `evaluate`, which also matches the events it is given (the core's
 * synthetic `cycle.*`, `chain.*` and `source.*` events, or a test's).
 *
 * A hit is one occurrence: a record, or an event. The same occurrence seen twice by one rule
 * (a text matcher on a record and an event read from that record, or two matchers) counts once.
 *
 * Hits are kept exactly up to `exactHits` per rule and role; past it, a rule's hits move to a
 * bounded store (compact-hits.ts) that keeps what its findings report — so a multi-gigabyte
 * post-mortem runs in flat memory. Two things become approximate there, both about occurrences
 * far apart in the reading order: duplicates are recognised among the last RECENT_KEYS
 * occurrences only, and an `unless` seen after a hit no longer removes it (but for an event's
 * `unless` on text hits of its records still pending, the usual case: see withdrawPending).
 *
 * A parallel scan splits the input into parts read by engines built from the same rules, then
 * merges them: `exportState` (plain, structured-cloneable data for postMessage) and `absorb`.
 * `absorb` assumes the absorbed part was read after this one: its records and events come later
 * in reading order, its `order`s and seqs are larger (`orderBase`, the core's seq base), and no
 * occurrence (record key or event seq) is in both parts — so no duplicate, no `unless` and no
 * pending text hit of one part concerns the other, and exact hits simply concatenate. Then the
 * findings are those of one engine reading both parts, but for what needs the arrival order of
 * the absorbed hits, which is not kept: when the hits go compact at the merge rather than at the
 * hit that passed the limit (and which sequence hits past MAX_STORED_HITS are dropped), the
 * approximations above may fall differently; evidence may show another copy of a duplicate.
 */
import type { FieldValue, LogRecord } from '../../../parsers/types.js';
import { RepeatedTexts } from '../../../parsers/repeated-texts.js';
import type { Evidence, Finding, FindingSeverity, RankedCause, SortedEvent, SourceSummary } from '../model.js';
import {
  Activity, GapRuns, SummaryHits, TimedHits, ACTIVITY_EXACT_LIMIT,
  type ActivityData, type GapData, type SummaryData, type TimedData,
} from './compact-hits.js';
import { lowerBound } from '../bisect.js';
import { burstFlags, compareHits, eventHit, mergeFields, recordKey, firstLineOf, type Hit } from './hits.js';
import { prefilterRegExp, requiredLiterals } from './literal.js';
import { parseDuration, PLACEHOLDER_RE } from './rule-text.js';
import type { Condition, Matcher, Rule } from './schema.js';

export interface RuleContext {
  /** Read once, in order (sorted by sortMs then seq). */
  events: Iterable<SortedEvent>;
  sources: SourceSummary[];
  /** Analysis end: the latest UTC seen in any log, or a user-given end. */
  endMs: number | null;
}

/** How much evidence a finding keeps: the first and the last EVIDENCE_HALF hits. */
export const EVIDENCE_HALF = 10;
/** Longest message text a regex runs on. */
export const MAX_MATCH_TEXT = 65_536;
/** Hits of a sequence rule's role kept (its evaluation needs each); beyond it only the count grows. */
export const MAX_STORED_HITS = 100_000;
/** Hits kept exactly per rule and role before they move to a bounded store. */
export const EXACT_HITS = 1_000;
/** Hit details a threshold rule keeps past EXACT_HITS: the earliest and the latest this many. */
const TIMED_DETAILS = 1_000;
/** Occurrences remembered for duplicate detection once a rule's hits are compacted. */
export const RECENT_KEYS = 1_024;
/**
 * Text hits held back (once compacted) before they are counted: the event read from the same
 * record usually comes a little later, and like the exact stores the event's hit is the one kept.
 */
const PENDING_TEXT_HITS = 256;

export interface EngineOptions {
  /** Hits kept exactly per rule and role (default EXACT_HITS); tests use small values. */
  exactHits?: number;
  /** Record times kept exactly per log for absence rules (default ACTIVITY_EXACT_LIMIT). */
  activityExact?: number;
  /** The first record's `order` (a part of a parallel scan starts after every earlier part's). */
  orderBase?: number;
}

/** A bounded store as plain data. */
export type CompactState =
  | { kind: 'summary'; data: SummaryData }
  | { kind: 'timed'; data: TimedData }
  | { kind: 'gaps'; data: GapData<Hit | SortedEvent> };

/** The hits of one rule and role as plain data (see RoleStore). */
export interface RoleStoreState {
  role: string;
  texts: Hit[];
  events: Hit[];
  overflow: number;
  compact: CompactState | null;
  /** Oldest first; the hits are the very objects of `pending` and of the store's kept hits. */
  recent: [string, Hit][];
  pending: Hit[];
}

/**
 * What an engine gathered from observe() and observeEvent(), as plain structured-cloneable data
 * (one object graph: hits shared between lists stay shared through structuredClone/postMessage).
 */
export interface EngineState {
  /** The next record order. */
  order: number;
  /** Per rule, in the engine's order. */
  rules: { id: string; unlessKeys: string[]; stores: RoleStoreState[] }[];
  /** Record times per log (null when no absence rule needs them). */
  activity: [string, ActivityData][] | null;
}

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
  /** Index among the engine's text matchers. */
  index: number;
  /** Matches when the message may match `re` (the key literal of one of its alternatives is there); null: always run. */
  pre: RegExp | null;
  kind: string | null;
  kindRe: RegExp | null;
  where: CompiledCondition[];
}

/** The text matchers that apply to one log. */
interface TextPlan {
  /** How many apply. */
  count: number;
  /** Those without a prefilter: they run on every message. */
  always: CompiledMatcher[];
  /** Those with a prefilter, and one native regex that matches when any of their prefilters may. */
  filtered: CompiledMatcher[];
  combined: RegExp | null;
  /** Messages left to test before `combined` is rebuilt as a trie (-1: done, or no prefilter). */
  untilTrie: number;
  /** The combined prefilter's verdict on texts seen before (most lines of a busy log repeat). */
  verdicts: RepeatedTexts<boolean>;
}

/**
 * Messages a log's combined prefilter tests as a plain list of words before it is rebuilt as a
 * trie (literal.ts): the trie searches ~20 % faster but costs a few ms more to make and compile,
 * which a small scan (a few hundred records per log) would only pay for.
 */
const TRIE_AFTER = 4096;

/** The hits of one rule and role. */
interface RoleStore {
  /** Exact hits while few: from text matchers and from events, in arrival order. */
  texts: Hit[];
  events: Hit[];
  /** Sequence roles only: hits not kept past MAX_STORED_HITS. */
  overflow: number;
  /** Past the exact limit: the bounded store, and the occurrences recently counted. */
  compact: SummaryHits | TimedHits | GapRuns<Hit | SortedEvent> | null;
  recent: Map<string, Hit>;
  /** Text hits not yet in `compact` (see PENDING_TEXT_HITS), oldest first. */
  pending: Set<Hit>;
}

interface CompiledRule {
  rule: Rule;
  mode: 'match' | 'sequence' | 'absence';
  matchers: Map<Role, CompiledMatcher[]>;
  stores: Map<Role, RoleStore>;
  /** Occurrences an `unless` matcher hit while reading (records by text, events). */
  unlessKeys: Set<string>;
  /** `unless` text matchers, also tried on event hits. */
  unlessText: CompiledMatcher[];
  hasUnless: boolean;
  windowMs: number;
  windowText: string;
  thresholdCount: number;
  seqKey: string | null;
  requireLog: string | null;
  whileLog: string | null;
}

const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

function iso(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
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

/**
 * A test that a field value equals `b`: numbers as numbers, anything else as text ignoring case;
 * null only equals null or a missing field. `b`'s lower case is made once, and a value spelled
 * exactly like it (most are: `endpoint: Notification` on every poll) is not lower-cased at all.
 */
export function sameAs(b: FieldValue): (v: FieldValue | undefined) => boolean {
  if (b === null) return (v) => (v ?? null) === null;
  const text = String(b);
  const lower = text.toLowerCase();
  return (v) => {
    if (v === undefined || v === null) return false;
    if (typeof v === 'number' && typeof b === 'number') return v === b;
    const s = String(v);
    return s === text || s.toLowerCase() === lower;
  };
}

function compileCondition(field: string, cond: Condition): CompiledCondition {
  if (cond === null || typeof cond !== 'object') return { field, test: sameAs(cond) };
  const tests: ((v: FieldValue | undefined) => boolean)[] = [];
  if (cond.eq !== undefined) tests.push(sameAs(cond.eq));
  if (cond.ne !== undefined) {
    const same = sameAs(cond.ne);
    tests.push((v) => !same(v));
  }
  // Loops, not `list.some((same) => same(v))`: that makes a closure for every event tested.
  const anySame = (list: ((v: FieldValue | undefined) => boolean)[], v: FieldValue | undefined): boolean => {
    for (const same of list) if (same(v)) return true;
    return false;
  };
  if (cond.in !== undefined) {
    const list = cond.in.map(sameAs);
    tests.push((v) => anySame(list, v));
  }
  if (cond.notIn !== undefined) {
    const list = cond.notIn.map(sameAs);
    tests.push((v) => !anySame(list, v));
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
  // Called for every event of a matching kind: no closure per call (`tests.every((t) => t(v))`).
  if (tests.length === 1) return { field, test: tests[0]! };
  return {
    field,
    test: (v) => {
      for (const t of tests) if (!t(v)) return false;
      return true;
    },
  };
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
  private readonly eventByKind = new Map<string, CompiledMatcher[]>();
  private readonly eventGlobs: CompiledMatcher[] = [];
  /** Text matchers that apply, by log kind then log name, as given. */
  private readonly textCache = new Map<string, Map<string, TextPlan>>();
  /** Record times per log kind and per log name as given (and `*` for any), when an absence rule needs them. */
  private readonly activity: Map<string, Activity> | null;
  private order = 0;
  private readonly exactHits: number;
  private readonly activityExact: number;
  /** The last (kind, log) observed, with its plan and activity: a log's records come in runs. */
  private lastKind: string | null = null;
  private lastLog: string | null = null;
  private lastPlan: TextPlan | null = null;
  private lastActs: Activity[] = [];
  /** Log names and kinds lower-cased (a few distinct ones, compared for every event). */
  private readonly lowerNames = new Map<string, string>();
  /** Event matchers by event kind (exact and glob), built on first sight. */
  private readonly eventMatchersByKind = new Map<string, CompiledMatcher[]>();

  constructor(rules: Rule[], opts: EngineOptions = {}) {
    this.exactHits = Math.max(1, opts.exactHits ?? EXACT_HITS);
    this.activityExact = opts.activityExact ?? ACTIVITY_EXACT_LIMIT;
    this.order = opts.orderBase ?? 0;
    this.ruleIds = rules.map((r) => r.id);
    let needActivity = false;
    for (const rule of rules) {
      const cr = this.compileRule(rule);
      this.rules.push(cr);
      if (cr.mode === 'absence') needActivity = true;
    }
    this.activity = needActivity ? new Map() : null;

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
      stores: new Map(),
      unlessKeys: new Set(),
      unlessText: [],
      hasUnless: (rule.match?.unless?.length ?? 0) > 0,
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
      if (role !== 'unless' && !cr.stores.has(role)) cr.stores.set(role, { texts: [], events: [], overflow: 0, compact: null, recent: new Map(), pending: new Set() });
      if (cm.re) {
        this.textMatchers.push(cm);
        if (role === 'unless') cr.unlessText.push(cm);
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
    const base = { rule, role, logs, re: null, literals: null, index, pre: null, kind: null, kindRe: null, where: [] };
    if (m.text !== undefined) {
      const flags = m.flags ?? '';
      let re: RegExp;
      try {
        re = new RegExp(m.text, flags);
      } catch (e) {
        throw new Error(`rule ${rule.rule.id}: invalid regex ${m.text}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const literals = requiredLiterals(m.text, flags);
      return { ...base, re, literals, pre: literals ? prefilterRegExp(literals) : null };
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
      const filtered = applying.filter((m) => m.pre !== null);
      const combined = prefilterRegExp(filtered.flatMap((m) => m.literals ?? []));
      list = {
        count: applying.length,
        always: applying.filter((m) => m.pre === null),
        filtered,
        combined,
        untilTrie: combined === null ? -1 : TRIE_AFTER,
        verdicts: new RepeatedTexts<boolean>(),
      };
      if (byLog.size > 1000) byLog.clear();
      byLog.set(log, list);
    }
    return list;
  }

  private activityFor(key: string): Activity {
    const act = this.activity!;
    let a = act.get(key);
    if (!a) act.set(key, (a = new Activity(this.activityExact)));
    return a;
  }

  /** Called by the core for every record (kind = canonical log kind). */
  observe(record: LogRecord, kind: string, sortMs: number): void {
    const order = this.order++;
    const ms = record.utcMs ?? sortMs;
    if (kind !== this.lastKind || record.log !== this.lastLog) {
      this.lastKind = kind;
      this.lastLog = record.log;
      this.lastPlan = this.textPlanFor(kind, record.log);
      this.lastActs = this.activity ? (record.log !== kind ? ['*', kind, record.log] : ['*', kind]).map((k) => this.activityFor(k)) : [];
    }
    if (this.activity && Number.isFinite(ms)) for (const a of this.lastActs) a.add(ms);
    const plan = this.lastPlan!;
    if (plan.count === 0) return;
    const message = typeof record.message === 'string' ? record.message : String(record.message);
    const text = message.length > MAX_MATCH_TEXT ? message.slice(0, MAX_MATCH_TEXT) : message;
    let run = plan.always;
    // Most messages contain no literal any regex needs: one native search says so.
    let may = false;
    if (plan.combined !== null) {
      const known = plan.verdicts.find(text);
      if (known === undefined && plan.untilTrie > 0 && --plan.untilTrie === 0) {
        plan.combined = prefilterRegExp(plan.filtered.flatMap((m) => m.literals ?? []), 'trie');
      }
      may = known ?? plan.combined!.test(text);
      if (known === undefined) plan.verdicts.keep(text, may);
    }
    if (may) {
      run = [...plan.always];
      for (const m of plan.filtered) if (m.pre!.test(text)) run.push(m);
    }
    if (run.length === 0) return;
    const key = recordKey(record.path, record.line);
    // `unless` matchers first, so a compacted store never counts a hit its own record excludes.
    for (const m of run) if (m.role === 'unless' && m.re?.test(text)) m.rule.unlessKeys.add(key);
    for (const m of run) {
      const re = m.re;
      if (!re || m.role === 'unless') continue;
      const found = re.exec(text);
      if (!found) continue;
      const cr = m.rule;
      const st = cr.stores.get(m.role);
      if (!st) continue;
      const fields: Record<string, FieldValue> = {};
      for (const [name, value] of Object.entries(found.groups ?? {})) fields[name] = value ?? null;
      if (!st.compact) {
        const prev = st.texts[st.texts.length - 1];
        if (prev && prev.keys[0] === key) {
          mergeFields(prev, fields);
          continue;
        }
      }
      this.addHit(cr, m.role, st, {
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
      }, false);
    }
  }

  /**
   * Called by the core for every event it extracts (not its synthetic ones, which `evaluate`
   * gets). `sourceKind`: the canonical kind of the event's source.
   */
  observeEvent(e: SortedEvent, sourceKind?: string): void {
    const matchers = this.eventMatchersFor(String(e.kind));
    if (matchers.length === 0) return;
    const sk = sourceKind?.toLowerCase();
    let hit: Hit | null = null;
    // `unless` matchers first, so a compacted store never counts a hit its own event excludes.
    for (const m of matchers) {
      if (m.role !== 'unless' || !this.eventMatches(m, e, sk)) continue;
      hit ??= eventHit(e);
      for (const k of hit.keys) m.rule.unlessKeys.add(k);
      this.withdrawPending(m.rule, hit.keys);
    }
    let done: RoleStore[] | null = null;
    for (const m of matchers) {
      if (m.role === 'unless') continue;
      const st = m.rule.stores.get(m.role);
      // Two matchers of one rule and role on one event: one hit.
      if (!st || done?.includes(st) || !this.eventMatches(m, e, sk)) continue;
      (done ??= []).push(st);
      // Every poll is a hit of the polling-gap rule: past the exact limit, its run store takes
      // the event itself and builds a hit only for the few that end a run.
      if (st.compact instanceof GapRuns && !m.rule.hasUnless) {
        st.compact.add(e.sortMs, e.seq, e);
        continue;
      }
      hit ??= eventHit(e);
      this.addHit(m.rule, m.role, st, hit, true);
    }
  }

  /**
   * An event's `unless` comes after the text hits of its records: those still pending are not
   * counted (as the exact store leaves them out), so where the hits went compact — in one
   * engine or in one part of a parallel scan — does not change the count.
   */
  private withdrawPending(cr: CompiledRule, keys: readonly string[]): void {
    for (const st of cr.stores.values()) {
      if (st.pending.size === 0) continue;
      for (const k of keys) {
        const seen = st.recent.get(k);
        if (seen && st.pending.delete(seen)) st.recent.delete(k);
      }
    }
  }

  private eventMatchersFor(kind: string): CompiledMatcher[] {
    let list = this.eventMatchersByKind.get(kind);
    if (!list) {
      const k = kind.toLowerCase();
      const exact = this.eventByKind.get(k) ?? [];
      const globs = this.eventGlobs.filter((m) => m.kindRe?.test(k));
      list = globs.length ? [...exact, ...globs] : exact;
      if (this.eventMatchersByKind.size > 10_000) this.eventMatchersByKind.clear();
      this.eventMatchersByKind.set(kind, list);
    }
    return list;
  }

  /**
   * Everything observe() and observeEvent() gathered, as plain data for another engine's
   * `absorb` (it shares objects with this engine: clone it, or drop this engine, before either
   * goes on). `opts.final`: the receiving engine observes nothing more, so the occurrences kept
   * to recognise duplicates among later hits are left out (most of the state's size: ~1,000
   * hits per compacted rule).
   */
  exportState(opts: { final?: boolean } = {}): EngineState {
    return {
      order: this.order,
      rules: this.rules.map((cr) => ({
        id: cr.rule.id,
        unlessKeys: [...cr.unlessKeys],
        stores: [...cr.stores].map(([role, st]) => ({
          role,
          texts: st.texts.slice(),
          events: st.events.slice(),
          overflow: st.overflow,
          compact: st.compact === null ? null : compactState(st.compact),
          recent: opts.final ? [] : [...st.recent],
          pending: [...st.pending],
        })),
      })),
      activity: this.activity === null ? null : [...this.activity].map(([k, a]): [string, ActivityData] => [k, a.toData()]),
    };
  }

  /**
   * Merges the state of an engine built from the same rules that read a later, disjoint part
   * of the input (see the top of this file): evaluate() then gives the findings of one engine
   * that read this part and then that one.
   */
  absorb(state: EngineState): void {
    if (state.rules.length !== this.rules.length) throw new Error(`absorb: ${state.rules.length} rules, this engine has ${this.rules.length}`);
    // Every `unless` first: compacting an exact store below leaves out the hits they exclude.
    for (const [i, rs] of state.rules.entries()) {
      const cr = this.rules[i]!;
      if (rs.id !== cr.rule.id) throw new Error(`absorb: rule ${rs.id} where this engine has ${cr.rule.id}`);
      for (const k of rs.unlessKeys) cr.unlessKeys.add(k);
    }
    for (const [i, rs] of state.rules.entries()) {
      const cr = this.rules[i]!;
      for (const o of rs.stores) {
        const role = o.role as Role;
        const st = cr.stores.get(role);
        if (!st) throw new Error(`absorb: rule ${cr.rule.id} has no ${o.role} hits`);
        this.absorbStore(cr, role, st, o);
      }
    }
    if (this.activity !== null && state.activity !== null) {
      for (const [k, d] of state.activity) {
        const a = this.activity.get(k);
        if (a) a.merge(d);
        else this.activity.set(k, Activity.fromData(d));
      }
    }
    this.order = Math.max(this.order, state.order);
    this.lastKind = null;
    this.lastLog = null;
    this.lastPlan = null;
    this.lastActs = [];
  }

  private absorbStore(cr: CompiledRule, role: Role, st: RoleStore, o: RoleStoreState): void {
    if (st.compact === null && o.compact === null) {
      if (cr.mode === 'sequence') {
        // The absorbed hits' arrival order (texts among events) is not kept: past the cap, its
        // events are kept before its texts.
        st.overflow += o.overflow;
        for (const [list, add] of [[st.events, o.events], [st.texts, o.texts]] as const) {
          const room = Math.max(0, MAX_STORED_HITS - st.texts.length - st.events.length);
          for (let j = 0; j < Math.min(room, add.length); j++) list.push(add[j]!);
          st.overflow += Math.max(0, add.length - room);
        }
        return;
      }
      for (const h of o.texts) st.texts.push(h);
      for (const h of o.events) st.events.push(h);
      if (st.texts.length + st.events.length > this.exactHits) this.compactStore(cr, role, st);
      return;
    }
    // One side or both compacted: compact the other, then merge the bounded stores.
    let data = o.compact;
    let pending: Iterable<Hit> = o.pending;
    let recent: Iterable<[string, Hit]> = o.recent;
    if (data === null) {
      const other: RoleStore = { texts: o.texts, events: o.events, overflow: o.overflow, compact: null, recent: new Map(), pending: new Set() };
      this.compactStore(cr, role, other);
      data = compactState(other.compact!);
      pending = other.pending;
      recent = other.recent;
    }
    if (st.compact === null) this.compactStore(cr, role, st);
    const store = st.compact!;
    if (store instanceof SummaryHits && data.kind === 'summary') store.merge(data.data);
    else if (store instanceof TimedHits && data.kind === 'timed') store.merge(data.data);
    else if (store instanceof GapRuns && data.kind === 'gaps') store.merge(data.data);
    else throw new Error(`absorb: rule ${cr.rule.id} ${role}: a ${data.kind} store does not merge into this one`);
    // The absorbed part's pending text hits are the latest read: this part's oldest go first.
    for (const h of pending) st.pending.add(h);
    while (st.pending.size > PENDING_TEXT_HITS) {
      const oldest = st.pending.values().next().value!;
      st.pending.delete(oldest);
      if (store instanceof GapRuns) store.add(oldest.ms, oldest.order, oldest);
      else store.add(oldest);
    }
    for (const [k, h] of recent) remember(st.recent, k, h);
    st.overflow += o.overflow;
  }

  /** Stores a hit: exactly while few, then in the rule's bounded store. */
  private addHit(cr: CompiledRule, role: Role, st: RoleStore, hit: Hit, fromEvent: boolean): void {
    if (st.compact) {
      this.addCompact(cr, st, hit, fromEvent);
      return;
    }
    if (cr.mode === 'sequence') {
      if (st.texts.length + st.events.length >= MAX_STORED_HITS) {
        st.overflow++;
        return;
      }
    }
    (fromEvent ? st.events : st.texts).push(hit);
    if (cr.mode !== 'sequence' && st.texts.length + st.events.length > this.exactHits) this.compactStore(cr, role, st);
  }

  /** Moves a rule role's exact hits to its bounded store. */
  private compactStore(cr: CompiledRule, role: Role, st: RoleStore): void {
    const { hits, byKey } = this.mergeExact(cr, st, [], undefined);
    const store =
      cr.mode === 'absence' ? new GapRuns<Hit | SortedEvent>(cr.windowMs)
      : cr.rule.threshold !== undefined ? new TimedHits(role === 'reset' ? 0 : TIMED_DETAILS)
      : new SummaryHits(EVIDENCE_HALF);
    st.compact = store;
    // The occurrences read last are the ones a duplicate can still come from; the latest text
    // hits stay pending, so an event of the same record can still take their place.
    const lateTexts = new Set<Hit>();
    for (const h of st.texts.slice(-PENDING_TEXT_HITS)) {
      const kept = byKey.get(h.keys[0]!);
      if (kept && kept.keys === h.keys) lateTexts.add(kept);
    }
    for (const h of [...st.texts.slice(-RECENT_KEYS), ...st.events.slice(-RECENT_KEYS)]) {
      for (const k of h.keys) {
        const kept = byKey.get(k);
        if (kept) remember(st.recent, k, kept);
      }
    }
    for (const h of hits) {
      if (store instanceof GapRuns) store.add(h.ms, h.order, h);
      else if (lateTexts.has(h)) st.pending.add(h);
      else store.add(h);
    }
    st.texts = [];
    st.events = [];
  }

  private addCompact(cr: CompiledRule, st: RoleStore, hit: Hit, fromEvent: boolean): void {
    const store = st.compact!;
    if (this.excluded(cr, hit, undefined, fromEvent)) return;
    // Gaps do not depend on duplicates: two hits of one occurrence are at the same time.
    if (store instanceof GapRuns) {
      store.add(hit.ms, hit.order, hit);
      return;
    }
    // An event's hit object is shared by every rule it matched: this store merges fields into
    // its own copy.
    if (fromEvent) hit = { ...hit };
    const absorbed: Hit[] = [];
    for (const k of hit.keys) {
      const seen = st.recent.get(k);
      if (!seen || absorbed.includes(seen)) continue;
      if (fromEvent && st.pending.has(seen)) {
        absorbed.push(seen);
        continue;
      }
      mergeFields(seen, hit.fields);
      return;
    }
    // An event takes the place of the pending text hits of its records, and their fields.
    for (const a of absorbed) {
      st.pending.delete(a);
      mergeFields(hit, a.fields);
      for (const k of a.keys) remember(st.recent, k, hit);
    }
    for (const k of hit.keys) remember(st.recent, k, hit);
    if (fromEvent) {
      store.add(hit);
      return;
    }
    st.pending.add(hit);
    if (st.pending.size > PENDING_TEXT_HITS) {
      const oldest = st.pending.values().next().value!;
      st.pending.delete(oldest);
      store.add(oldest);
    }
  }

  private excluded(cr: CompiledRule, h: Hit, unlessEvents: Set<string> | undefined, fromEvent: boolean): boolean {
    for (const k of h.keys) if (cr.unlessKeys.has(k) || unlessEvents?.has(k)) return true;
    return fromEvent && cr.unlessText.some((m) => m.re?.test(h.text));
  }

  /** Pure over its inputs and what observe() and observeEvent() collected. */
  evaluate(ctx: RuleContext): Finding[] {
    const sourceKind = new Map<string, string>();
    for (const s of ctx.sources) sourceKind.set(s.id, s.kind.toLowerCase());

    // Hits of the given events, per rule and role.
    const eventHits = new Map<CompiledRule, Map<Role, Hit[]>>();
    const unlessEventKeys = new Map<CompiledRule, Set<string>>();
    for (const e of ctx.events) {
      const matchers = this.eventMatchersFor(String(e.kind));
      if (matchers.length === 0) continue;
      let hit: Hit | null = null;
      for (const m of matchers) {
        if (!this.eventMatches(m, e, sourceKind.get(e.sourceId))) continue;
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
      const given = (role: Role): Hit[] => eventHits.get(cr)?.get(role) ?? [];
      const unless = unlessEventKeys.get(cr);
      let finding: Finding | null = null;
      if (cr.mode === 'match') finding = this.evalMatch(cr, given('any'), given('reset'), unless);
      else if (cr.mode === 'sequence') finding = this.evalSequence(cr, this.hitsOf(cr, 'first', given('first'), unless).hits, this.hitsOf(cr, 'then', given('then'), unless).hits, ctx);
      else finding = this.evalAbsence(cr, given('of'), unless, ctx);
      if (finding) findings.push(finding);
    }
    return findings.sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        (a.firstUtc === b.firstUtc ? 0 : a.firstUtc === null ? 1 : b.firstUtc === null ? -1 : a.firstUtc < b.firstUtc ? -1 : 1) ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
    );
  }

  /** `sourceKind`: the lower-cased kind of the event's source, when known. */
  private eventMatches(m: CompiledMatcher, e: SortedEvent, sourceKind: string | undefined): boolean {
    const logs = m.logs;
    if (logs && !(this.inLogs(logs, e.logKind) || this.inLogs(logs, sourceKind) || this.inLogs(logs, e.log))) return false;
    const fields = e.fields ?? {};
    for (const c of m.where) {
      const v = Object.prototype.hasOwnProperty.call(fields, c.field) ? fields[c.field] : undefined;
      if (!c.test(v)) return false;
    }
    return true;
  }

  private inLogs(logs: Set<string>, name: unknown): boolean {
    if (typeof name !== 'string' || name === '') return false;
    let lower = this.lowerNames.get(name);
    if (lower === undefined) {
      if (this.lowerNames.size > 10_000) this.lowerNames.clear();
      this.lowerNames.set(name, (lower = name.toLowerCase()));
    }
    return logs.has(lower);
  }

  /** The exact hits of one role (stored and `given`), one per occurrence, time-sorted. */
  private hitsOf(cr: CompiledRule, role: Role, given: Hit[], unless: Set<string> | undefined): { hits: Hit[]; overflow: number } {
    const st = cr.stores.get(role);
    if (!st) return { hits: [], overflow: 0 };
    return { hits: this.mergeExact(cr, st, given, unless).hits, overflow: st.overflow };
  }

  /**
   * Event hits (stored, then `given`) and text hits of one exact store, one per occurrence
   * (the first seen keeps it; later ones lend it fields it lacks), without `unless` hits,
   * sorted by time. The stored hits are copied, never changed.
   */
  private mergeExact(cr: CompiledRule, st: RoleStore, given: Hit[], unless: Set<string> | undefined): { hits: Hit[]; byKey: Map<string, Hit> } {
    const byKey = new Map<string, Hit>();
    const out: Hit[] = [];
    const take = (h: Hit, fromEvent: boolean): void => {
      if (this.excluded(cr, h, unless, fromEvent)) return;
      for (const k of h.keys) {
        const seen = byKey.get(k);
        if (seen) {
          mergeFields(seen, h.fields);
          return;
        }
      }
      const copy: Hit = { ms: h.ms, utcMs: h.utcMs, order: h.order, log: h.log, path: h.path, line: h.line, local: h.local, text: h.text, fields: h.fields, keys: h.keys };
      for (const k of h.keys) byKey.set(k, copy);
      out.push(copy);
    };
    for (const h of st.events) take(h, true);
    for (const h of given) take(h, true);
    for (const h of st.texts) take(h, false);
    return { hits: out.sort(compareHits), byKey };
  }

  /** What a compacted store adds at evaluation: its pending text hits, and the given hits not excluded. */
  private givenCompact(cr: CompiledRule, st: RoleStore, given: Hit[], unless: Set<string> | undefined): Hit[] {
    return [...st.pending, ...given.filter((h) => !this.excluded(cr, h, unless, true))];
  }

  private evalMatch(cr: CompiledRule, givenAny: Hit[], givenReset: Hit[], unless: Set<string> | undefined): Finding | null {
    const st = cr.stores.get('any');
    if (!st) return null;
    if (cr.rule.threshold === undefined) {
      if (st.compact instanceof SummaryHits) {
        const v = st.compact.view(this.givenCompact(cr, st, givenAny, unless));
        return v.count === 0 ? null : this.finding(cr, v.hits, v.count, { minUtc: v.minUtc, maxUtc: v.maxUtc });
      }
      const { hits, overflow } = this.hitsOf(cr, 'any', givenAny, unless);
      return hits.length === 0 ? null : this.finding(cr, hits, hits.length + overflow, {});
    }
    const resetTimes = this.timedEntries(cr, 'reset', givenReset, unless).map((e) => e.ms);
    const entries = this.timedEntries(cr, 'any', givenAny, unless);
    const flags = burstFlags(entries.map((e) => e.ms), cr.thresholdCount, cr.windowMs, resetTimes);
    const members = entries.filter((_, i) => flags[i] === 1);
    if (members.length === 0) return null;
    if (!(st.compact instanceof TimedHits)) return this.finding(cr, members.map((e) => e.hit!), members.length, {});
    let minUtc: number | null = null;
    let maxUtc: number | null = null;
    for (const e of members) {
      const u = e.utcMs;
      if (u === null || !Number.isFinite(u)) continue;
      if (minUtc === null || u < minUtc) minUtc = u;
      if (maxUtc === null || u > maxUtc) maxUtc = u;
    }
    // Compacted: evidence from the burst hits whose details were kept (the earliest and latest).
    const detailed = members.flatMap((e) => (e.hit ? [e.hit] : []));
    return this.finding(cr, detailed, members.length, { minUtc, maxUtc });
  }

  /** Timed hits of one role, time-sorted, from the exact or the compacted store. */
  private timedEntries(cr: CompiledRule, role: Role, given: Hit[], unless: Set<string> | undefined): { ms: number; order: number; utcMs: number | null; hit: Hit | null }[] {
    const st = cr.stores.get(role);
    if (!st) return [];
    if (st.compact instanceof TimedHits) return st.compact.entries(this.givenCompact(cr, st, given, unless));
    return this.mergeExact(cr, st, given, unless).hits
      .filter((h) => Number.isFinite(h.ms))
      .map((h) => ({ ms: h.ms, order: h.order, utcMs: h.utcMs, hit: h }));
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

  private evalAbsence(cr: CompiledRule, given: Hit[], unless: Set<string> | undefined, ctx: RuleContext): Finding | null {
    const T = cr.windowMs;
    const st = cr.stores.get('of');
    if (!st) return null;
    let runs: GapRuns<Hit | SortedEvent>;
    if (st.compact instanceof GapRuns) {
      runs = st.compact.clone();
      for (const h of this.givenCompact(cr, st, given, unless)) runs.add(h.ms, h.order, h);
    } else {
      runs = new GapRuns(T);
      for (const h of this.mergeExact(cr, st, given, unless).hits) runs.add(h.ms, h.order, h);
    }
    const end = ctx.endMs !== null && Number.isFinite(ctx.endMs) ? ctx.endMs : null;
    const gaps: Hit[] = [];
    let longest = 0;
    for (const { last, nextStart } of runs.gaps()) {
      const h = 'keys' in last ? last : eventHit(last);
      const gapEnd = nextStart ?? end;
      if (gapEnd === null || gapEnd - h.ms <= T) continue;
      // A gap that ends with a hit must show writing before that hit; the final gap, up to the end.
      if (!this.wroteBetween(cr.whileLog, h.ms + T, gapEnd, nextStart !== null, ctx.sources)) continue;
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
      if (a.empty) continue;
      observed = true;
      if (a.wrote(from, to, openEnd)) return true;
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

  /** `minUtc`/`maxUtc`: the UTC range of every hit when `hits` holds only some (compacted). */
  private finding(cr: CompiledRule, hits: Hit[], count: number, extra: { gap?: string; minUtc?: number | null; maxUtc?: number | null }): Finding {
    const rule = cr.rule;
    const evidence: Evidence[] = (hits.length > 2 * EVIDENCE_HALF ? [...hits.slice(0, EVIDENCE_HALF), ...hits.slice(-EVIDENCE_HALF)] : hits).map(
      (h) => ({ log: h.log, path: h.path, line: h.line, utc: iso(h.utcMs), local: h.local, text: h.text }),
    );
    let firstUtc: string | null = null;
    let lastUtc: string | null = null;
    if (extra.minUtc !== undefined || extra.maxUtc !== undefined) {
      firstUtc = iso(extra.minUtc ?? null);
      lastUtc = iso(extra.maxUtc ?? null);
    } else {
      for (const h of hits) {
        const t = iso(h.utcMs);
        if (t === null) continue;
        if (firstUtc === null || t < firstUtc) firstUtc = t;
        if (lastUtc === null || t > lastUtc) lastUtc = t;
      }
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


function compactState(store: SummaryHits | TimedHits | GapRuns<Hit | SortedEvent>): CompactState {
  if (store instanceof SummaryHits) return { kind: 'summary', data: store.toData() };
  if (store instanceof TimedHits) return { kind: 'timed', data: store.toData() };
  return { kind: 'gaps', data: store.toData() };
}

/** Remembers an occurrence for duplicate detection, forgetting the oldest past RECENT_KEYS. */
function remember(recent: Map<string, Hit>, key: string, hit: Hit): void {
  recent.set(key, hit);
  if (recent.size > RECENT_KEYS) recent.delete(recent.keys().next().value!);
}

/**
 * The shape of a rule file (`rules/<id>.yaml`, one rule per file). A rule is plain data: what it
 * matches (log text or timeline events), optionally how often, in which order or what must be
 * missing, and what to tell the user. Each rule carries samples it must fire on and
 * counter-samples it must stay silent on (the lnav lesson: formats carry their own tests).
 *
 *   id: gateway-unauthorized
 *   title: The cloud gateway answers 401 Unauthorized
 *   severity: error
 *   match:
 *     any:
 *       - event: gateway.response
 *         where: { status: 401 }
 *       - text: '\(401\) Unauthorized'
 *         logs: [CMGatewayNotificationWorker]
 *   threshold: { count: 3, within: 30m }     # optional, only with `match`
 *   explanation: '{count} gateway calls answered 401 between {first} and {last}.'
 *   remediation: [step one, step two]
 *   docs: [https://learn.microsoft.com/...]
 *   causes: [{ cause: ..., tellApart: ... }]
 *   samples: [{ log: CMGatewayNotificationWorker, lines: ['...'] }]
 *   counterSamples: [{ log: CMGatewayNotificationWorker, lines: ['...'] }]
 *
 * Instead of `match`, a rule may have `sequence` ("A not followed by B within T") or `absence`
 * ("no A for longer than T while the log kept writing").
 */
import { z } from 'zod';
import { isoUtcMs } from '../../../parsers/formats/time.js';

import { DURATION_RE, isKnownPlaceholder, PLACEHOLDER_RE, regexError } from './rule-text.js';

// Re-exported: the engine imports these from rule-text.ts so it never loads zod at run time.
export { DURATION_RE, isKnownPlaceholder, parseDuration, PLACEHOLDER_RE, regexError } from './rule-text.js';

/** JS regex flags a rule may use: no `g`/`y` (they make `test()` stateful). */
const FLAGS_RE = /^(?!.*(.).*\1)[imsu]*$/;

const Duration = z.string().regex(DURATION_RE, 'expected a duration like 30s, 10m, 2h or 1h30m');
const LogList = z.array(z.string().min(1)).min(1);
const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ConditionSchema = z.union([
  Scalar,
  z.strictObject({
    eq: Scalar.optional(),
    ne: Scalar.optional(),
    in: z.array(Scalar).min(1).optional(),
    notIn: z.array(Scalar).min(1).optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
    regex: z.string().min(1).optional(),
    flags: z.string().regex(FLAGS_RE, 'flags may only be i, m, s, u (each once)').optional(),
    exists: z.boolean().optional(),
  }),
]);

/**
 * One matcher: either `text` (a JS regex on the record message, named groups become fields) or
 * `event` (an event kind, exact or glob, with field conditions). `logs` limits either to
 * canonical log kinds (or log names), compared without case.
 */
export const MatcherSchema = z
  .strictObject({
    text: z.string().min(1).optional(),
    flags: z.string().regex(FLAGS_RE, 'flags may only be i, m, s, u (each once)').optional(),
    event: z.string().min(1).optional(),
    where: z.record(z.string(), ConditionSchema).optional(),
    logs: LogList.optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.text === undefined) === (m.event === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a matcher needs exactly one of `text` or `event`' });
    }
    if (m.flags !== undefined && m.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['flags'], message: '`flags` applies to a `text` matcher only' });
    }
    if (m.where !== undefined && m.event === undefined) {
      ctx.addIssue({ code: 'custom', path: ['where'], message: '`where` applies to an `event` matcher only' });
    }
    if (m.text !== undefined) {
      const bad = regexError(m.text, m.flags);
      if (bad !== null) ctx.addIssue({ code: 'custom', path: ['text'], message: `invalid regex: ${bad}` });
    }
    for (const [field, cond] of Object.entries(m.where ?? {})) {
      if (cond !== null && typeof cond === 'object' && cond.regex !== undefined) {
        const bad = regexError(cond.regex, cond.flags);
        if (bad !== null) ctx.addIssue({ code: 'custom', path: ['where', field, 'regex'], message: `invalid regex: ${bad}` });
      }
    }
  });

export const SampleFileSchema = z.strictObject({
  log: z.string().min(1),
  lines: z.array(z.string()).min(1),
  path: z.string().min(1).optional(),
});

/** `{ log, lines }` for one log, or `{ files: [{ log, lines }, ...] }` for several. */
export const SampleSchema = z
  .strictObject({
    log: z.string().min(1).optional(),
    lines: z.array(z.string()).min(1).optional(),
    path: z.string().min(1).optional(),
    files: z.array(SampleFileSchema).min(1).optional(),
    /** Analysis end as ISO UTC (`2024-05-01T10:00:00Z`); default: the latest UTC in the sample. */
    end: z
      .string()
      .min(1)
      .refine((v) => isoUtcMs(v) !== null, 'expected an ISO UTC time like 2024-05-01T10:00:00Z')
      .optional(),
    note: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    const single = s.log !== undefined || s.lines !== undefined;
    if (single && s.files !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'a sample has either `log` + `lines` or `files`, not both' });
    } else if (!single && s.files === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a sample needs `log` + `lines` or `files`' });
    } else if (single && (s.log === undefined || s.lines === undefined)) {
      ctx.addIssue({ code: 'custom', path: [s.log === undefined ? 'log' : 'lines'], message: 'a sample needs both `log` and `lines`' });
    }
  });

export const CauseSchema = z.strictObject({
  cause: z.string().min(1),
  tellApart: z.string().min(1),
});

export const RuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id is lower-case words joined by `-`'),
    title: z.string().min(1),
    severity: z.enum(['error', 'warning', 'info']),
    explanation: z.string().min(1),
    remediation: z.array(z.string().min(1)).min(1),
    docs: z.array(z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL')),
    causes: z.array(CauseSchema).min(1).optional(),
    tags: z.array(z.string().min(1)).optional(),
    /** Free-form notes for rule authors (sources, why the pattern looks like this). */
    notes: z.string().optional(),

    match: z
      .strictObject({
        any: z.array(MatcherSchema).min(1),
        /** A hit is dropped when its record/event also matches one of these. */
        unless: z.array(MatcherSchema).min(1).optional(),
      })
      .optional(),
    threshold: z
      .strictObject({
        count: z.number().int().min(1),
        within: Duration,
        /** A hit of this matcher ends a run: hits before and after it never share a window. */
        resetOn: MatcherSchema.optional(),
      })
      .optional(),
    sequence: z
      .strictObject({
        first: MatcherSchema,
        then: MatcherSchema,
        within: Duration,
        /** Field (event field or named regex group) that ties `then` to `first`, compared without case. */
        key: z.string().min(1).optional(),
        /** Fire only when a source of this kind covers [first, first + within]. */
        requireLog: z.string().min(1).optional(),
      })
      .optional(),
    absence: z
      .strictObject({
        of: MatcherSchema,
        for: Duration,
        /** The log that must keep writing during the gap (default: any log). */
        whileLog: z.string().min(1).optional(),
      })
      .optional(),

    samples: z.array(SampleSchema).min(1),
    counterSamples: z.array(SampleSchema).optional(),
  })
  .superRefine((r, ctx) => {
    const modes = (['match', 'sequence', 'absence'] as const).filter((k) => r[k] !== undefined);
    if (modes.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: modes.length === 0 ? 'a rule needs one of `match`, `sequence` or `absence`' : `a rule has only one of ${modes.map((m) => `\`${m}\``).join(', ')}`,
      });
    }
    if (r.threshold !== undefined && r.match === undefined) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: '`threshold` applies to `match` rules only' });
    }
    for (const [key, text] of [['explanation', r.explanation], ['title', r.title]] as const) {
      for (const m of text.matchAll(PLACEHOLDER_RE)) {
        const name = m[1] ?? '';
        if (!isKnownPlaceholder(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `unknown placeholder {${name}} (known: {count} {first} {last} {log} {within} {gap} {field.NAME})`,
          });
        }
      }
    }
  });

export type Condition = z.infer<typeof ConditionSchema>;
export type Matcher = z.infer<typeof MatcherSchema>;
export type Sample = z.infer<typeof SampleSchema>;
export type SampleFile = z.infer<typeof SampleFileSchema>;
export type Cause = z.infer<typeof CauseSchema>;
export type Rule = z.infer<typeof RuleSchema>;

/** The files of a sample, whichever shape it was written in. */
export function sampleFiles(sample: Sample): SampleFile[] {
  if (sample.files) return sample.files;
  if (sample.log !== undefined && sample.lines !== undefined) {
    return [sample.path === undefined ? { log: sample.log, lines: sample.lines } : { log: sample.log, lines: sample.lines, path: sample.path }];
  }
  return [];
}

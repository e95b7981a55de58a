/** Types for fuzz-properties.mjs (shared with bench/fuzz.mjs, which runs it against dist/). */
import type { IProperty } from 'fast-check';
import type { Framer, FramerOptions } from '../../parsers/formats/framer.js';
import type { LogRecord } from '../../parsers/types.js';
import type { Extractor } from '../../parsers/logs/index.js';
import type { RuleEngine } from '../../src/analysis/rules/engine.js';
import type { ByteDecoder, ByteFramer } from '../../parsers/formats/byte-framer.js';
import type { Encoding } from '../../src/ingest/decode.js';
import type { Rule } from '../../src/analysis/rules/schema.js';

export interface FuzzApi {
  parseText: (text: string, opts: { log: string; path: string; biasOverride?: number }) => LogRecord[];
  Framer: new (opts: FramerOptions) => Framer;
  createExtractor: (kind: string) => Extractor;
  LOG_KINDS: readonly string[];
  RuleEngine: new (rules: Rule[]) => RuleEngine;
  /** The UTF-8 byte framer and the stream decoder: its differential property runs when both are given. */
  ByteFramer?: new (framer: Framer, decoder: ByteDecoder) => ByteFramer;
  StreamDecoder?: new (encoding: Encoding) => ByteDecoder & { measure: (text: string) => number; fallbackBytes: number };
}

export interface FuzzCorpus {
  rawLines: string[];
  messages: string[];
  eventKinds: string[];
  fieldNames: string[];
  fieldValues: unknown[];
  logNames: string[];
}

export function buildCorpus(api: FuzzApi, opts: { samplesDir: string; rules: Rule[] }): FuzzCorpus;

export function fuzzProperties(api: FuzzApi, corpus: FuzzCorpus, rules: Rule[]): { name: string; property: IProperty<unknown[]> }[];

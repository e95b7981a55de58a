/**
 * The report writers over real analyses of every bundled scenario: the JSON report and each
 * NDJSON line validate against the schema, and no format carries a raw control character.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { analyzePaths } from '../../src/analysis/analyze.js';
import { renderReport, type ReportFormat } from '../../src/report/index.js';
import { firstUnsafe, OPTS } from './helpers.js';

const ROOT = path.join(import.meta.dirname, '../..');
const SAMPLES = path.join(ROOT, 'sample-logs');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true });
ajv.addSchema(schema, 'report');
const validateReport = ajv.getSchema('report')!;
const validateLine = ajv.getSchema('report#/definitions/ndjsonLine')!;
const scenarios = readdirSync(SAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('reports over the bundled scenarios', () => {
  for (const name of scenarios) {
    it(name, async () => {
      const result = await analyzePaths([path.join(SAMPLES, name)]);
      for (const format of ['text', 'json', 'ndjson', 'junit', 'sarif', 'markdown'] as ReportFormat[]) {
        const out = renderReport(result, format, { ...OPTS, failOn: 'warning' });
        const multiline = format === 'text' || format === 'markdown' || format === 'junit';
        expect(firstUnsafe(multiline ? out : out.replace(/\n/g, '')), format).toBeNull();
        if (format === 'json') expect(validateReport(JSON.parse(out)), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
        if (format === 'ndjson') {
          for (const line of out.trimEnd().split('\n')) expect(validateLine(JSON.parse(line)), line.slice(0, 200) + JSON.stringify(validateLine.errors?.slice(0, 2))).toBe(true);
        }
      }
    });
  }
});

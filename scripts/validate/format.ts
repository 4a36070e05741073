// The three ways validate prints its result: readable text grouped by file, JSON (the
// ValidateResult shape, documented in the README), and GitHub Actions annotations.
import { MAX_WITHOUT_SCHEMA_OBJECTS, type Finding, type Summary, type ValidateResult } from './findings.ts';

export type Format = 'text' | 'json' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'github'];

// The JSON document, every object with its keys in one fixed order (the README's). `version`
// changes when a field is removed, renamed or changes meaning; added fields keep it.
export function formatJson(result: ValidateResult): string {
  const s = result.summary;
  const summary = {
    clusters: s.clusters, kustomizations: s.kustomizations, cached: s.cached, objects: s.objects, errors: s.errors, warnings: s.warnings,
    withoutSchema: s.withoutSchema,
    withoutSchemaObjects: s.withoutSchemaObjects.map((o) => ({ kind: o.kind, object: o.object, file: o.file, line: o.line, clusters: o.clusters })),
    durationMs: s.durationMs,
  };
  const findings = result.findings.map((f) => ({
    severity: f.severity, check: f.check, rule: f.rule, file: f.file, line: f.line,
    ...(f.object === undefined ? {} : { object: f.object }),
    ...(f.kustomization === undefined ? {} : { kustomization: f.kustomization }),
    clusters: f.clusters, message: f.message, hint: f.hint,
  }));
  return JSON.stringify({ version: 1, summary, findings, exitCode: result.exitCode }, null, 2);
}

// Findings grouped by file (`  line  severity  rule  object: message` and `→ hint`), then the
// summary and where the objects without a schema are. In a file, a rule's hint is shown once, on
// its first finding, with how many findings below it also stands for.
export function formatText(result: ValidateResult, paint: (severity: Finding['severity'], text: string) => string = (_, t) => t): string {
  const lines: string[] = [];
  let file: string | undefined;
  const hintKey = (f: Finding) => [f.file, f.rule, f.hint].join('\u0000');
  const remaining = new Map<string, number>();
  for (const f of result.findings) remaining.set(hintKey(f), (remaining.get(hintKey(f)) ?? 0) + 1);
  const shown = new Set<string>();
  for (const f of result.findings) {
    if (f.file !== file) {
      if (file !== undefined) lines.push('');
      lines.push(f.file);
      file = f.file;
    }
    const where = f.clusters.length > 0 ? `  [${f.clusters.join(', ')}]` : '';
    lines.push(`  ${String(f.line).padStart(4)}  ${paint(f.severity, f.severity.padEnd(7))}  ${f.rule}  ${f.object ? `${f.object}: ` : ''}${f.message}${where}`);
    const key = hintKey(f);
    if (shown.has(key)) continue;
    shown.add(key);
    const more = remaining.get(key)! - 1;
    lines.push(`        → ${f.hint}${more > 0 ? `  (same for the next ${more} ${f.rule} below)` : ''}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(result.summary));
  const kinds = withoutSchemaLine(result.summary);
  if (kinds) lines.push(kinds);
  const listed = result.summary.withoutSchemaObjects;
  for (const o of listed) lines.push(`  ${o.file}:${o.line}  ${o.object}${o.clusters.length > 0 ? `  [${o.clusters.join(', ')}]` : ''}`);
  const total = Object.values(result.summary.withoutSchema).reduce((sum, n) => sum + n, 0);
  if (listed.length >= MAX_WITHOUT_SCHEMA_OBJECTS && total > listed.length) lines.push(`  … the first ${listed.length} listed (${total} without schema in all)`);
  return lines.join('\n');
}

// `objects without a schema (not checked against one): example.com/v1 Widget ×2`, or undefined when there are none.
function withoutSchemaLine(s: Summary): string | undefined {
  const without = Object.entries(s.withoutSchema);
  return without.length > 0 ? `objects without a schema (not checked against one): ${without.map(([kind, n]) => `${kind} ×${n}`).join(', ')}` : undefined;
}

// `2 clusters, 14 Kustomizations (3 cached), 96 objects: 1 error, 0 warnings, 2 without schema (1.2 s)`.
export function summaryLine(s: Summary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const without = Object.values(s.withoutSchema).reduce((sum, n) => sum + n, 0);
  return `${plural(s.clusters, 'cluster')}, ${plural(s.kustomizations, 'Kustomization')}${s.cached > 0 ? ` (${s.cached} cached)` : ''}, ${plural(s.objects, 'object')}: ` +
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${without} without schema (${(s.durationMs / 1000).toFixed(1)} s)`;
}

// One `::error file=…,line=…,title=…::…` (or ::warning) line per finding (each with its hint), then the
// summary as a notice, with the kinds of the objects without a schema.
export function formatGithub(result: ValidateResult): string {
  const lines = result.findings.map((f) => {
    const message = `${f.object ? `${f.object}: ` : ''}${f.message}${f.clusters.length > 0 ? ` [${f.clusters.join(', ')}]` : ''}\n${f.hint}`;
    return `::${f.severity} file=${property(f.file)},line=${f.line},title=${property(f.rule)}::${data(message)}`;
  });
  const kinds = withoutSchemaLine(result.summary);
  lines.push(`::notice title=validate::${data(summaryLine(result.summary) + (kinds ? `\n${kinds}` : ''))}`);
  return lines.join('\n');
}

// GitHub's workflow-command escaping: data escapes %, CR and LF; properties also : and ,.
const data = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (text: string): string => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

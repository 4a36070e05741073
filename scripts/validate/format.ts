// The three ways validate prints its result: readable text grouped by file, JSON (the
// ValidateResult shape, documented in the README), and GitHub Actions annotations.
import type { Finding, Summary, ValidateResult } from './findings.ts';

export type Format = 'text' | 'json' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'github'];

// The JSON document: `version` changes only when the shape does.
export function formatJson(result: ValidateResult): string {
  return JSON.stringify({ version: 1, summary: result.summary, findings: result.findings, exitCode: result.exitCode }, null, 2);
}

// Findings grouped by file (`  line  severity  rule  object: message` and `→ hint`), then the summary.
export function formatText(result: ValidateResult, paint: (severity: Finding['severity'], text: string) => string = (_, t) => t): string {
  const lines: string[] = [];
  let file: string | undefined;
  for (const f of result.findings) {
    if (f.file !== file) {
      if (file !== undefined) lines.push('');
      lines.push(f.file);
      file = f.file;
    }
    const where = f.clusters.length > 0 ? `  [${f.clusters.join(', ')}]` : '';
    lines.push(`  ${String(f.line).padStart(4)}  ${paint(f.severity, f.severity.padEnd(7))}  ${f.rule}  ${f.object ? `${f.object}: ` : ''}${f.message}${where}`);
    lines.push(`        → ${f.hint}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(result.summary));
  const without = Object.entries(result.summary.withoutSchema);
  if (without.length > 0) lines.push(`objects without a schema (not checked against one): ${without.map(([kind, n]) => `${kind} ×${n}`).join(', ')}`);
  return lines.join('\n');
}

// `2 clusters, 14 Kustomizations (3 cached), 96 objects: 1 error, 0 warnings, 2 without schema (1.2 s)`.
export function summaryLine(s: Summary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const without = Object.values(s.withoutSchema).reduce((sum, n) => sum + n, 0);
  return `${plural(s.clusters, 'cluster')}, ${plural(s.kustomizations, 'Kustomization')}${s.cached > 0 ? ` (${s.cached} cached)` : ''}, ${plural(s.objects, 'object')}: ` +
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${without} without schema (${(s.durationMs / 1000).toFixed(1)} s)`;
}

// One `::error file=…,line=…,title=…::…` (or ::warning) line per finding, then the summary as a notice.
export function formatGithub(result: ValidateResult): string {
  const lines = result.findings.map((f) => {
    const message = `${f.object ? `${f.object}: ` : ''}${f.message}${f.clusters.length > 0 ? ` [${f.clusters.join(', ')}]` : ''}\n${f.hint}`;
    return `::${f.severity} file=${property(f.file)},line=${f.line},title=${property(f.rule)}::${data(message)}`;
  });
  lines.push(`::notice title=validate::${data(summaryLine(result.summary))}`);
  return lines.join('\n');
}

// GitHub's workflow-command escaping: data escapes %, CR and LF; properties also : and ,.
const data = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (text: string): string => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

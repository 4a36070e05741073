// The incident report: a Markdown timeline of every step and command (time, duration, result),
// the status before and after, the commit restored, and the dependsOn graph.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from './journal.ts';

// The Markdown report of `journal`; `logs` are the run logs of the runs that worked on it.
export function incidentReport(journal: Journal, root: string, logs: readonly string[]): string {
  const lines = [
    `# Incident ${journal.id}: disaster recovery of ${journal.cluster}`,
    '',
    `- Cluster: ${journal.cluster} (kube context ${journal.kubeContext})`,
    `- Strategy: ${journal.strategy}`,
    `- Started: ${journal.startedAt}; finished: ${journal.finishedAt ?? '(not finished)'}`,
    `- Known-good commit: ${journal.knownGood ? `${journal.knownGood.sha} — ${journal.knownGood.subject}` : '(not chosen)'}`,
    `- Restored: ${journal.restored?.length ? journal.restored.join(', ') : 'nothing needed'}`,
    `- Suspended by this run (and resumed): ${journal.suspended.map((r) => `${r.kind}/${r.namespace}/${r.name}`).join(', ') || 'nothing'}`,
    `- Left as they were (suspended before): ${journal.alreadySuspended.map((r) => `${r.kind}/${r.namespace}/${r.name}`).join(', ') || 'nothing'}`,
    '',
    '## Timeline',
    '',
    '| time | step | what | duration | result |',
    '|---|---|---|---|---|',
    ...journal.timeline.map((t) => `| ${t.at} | ${t.step} | ${t.text.replace(/\|/g, '\\|')} | ${t.durationMs === undefined ? '' : `${(t.durationMs / 1000).toFixed(1)} s`} | ${t.ok ? 'ok' : 'failed'} |`),
    '',
    '## Commands',
    '',
    'Every command the runs executed, from their run logs (time, result, exit code, duration, command):',
    '',
    '```',
    ...logs.flatMap((log) => (existsSync(join(root, log)) ? readFileSync(join(root, log), 'utf8').trimEnd().split('\n') : [`(${log} is gone)`])),
    '```',
    '',
    '## Status before',
    '',
    '```',
    journal.statusBefore ?? '(not assessed)',
    '```',
    '',
    '## Status after',
    '',
    '```',
    journal.statusAfter ?? '(not verified)',
    '```',
  ];
  if (journal.graph) lines.push('', '## Kustomizations', '', journal.graph);
  return lines.join('\n') + '\n';
}

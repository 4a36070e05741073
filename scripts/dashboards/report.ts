// The summary dashboard-cm prints when it is done: the dashboard, the files, the cluster, and the
// exact git lines to run next.
import type { FileChange } from '../exec/files.ts';
import type { ClusterOutcome } from './cluster.ts';
import type { DashboardInfo } from './info.ts';

export type ReportInput = {
  name: string;
  info: DashboardInfo;
  files: { path: string; change: FileChange }[];
  cluster: ClusterOutcome;
  dryRun: boolean;
};

// The report text (several lines, no trailing newline).
export function formatReport(input: ReportInput): string {
  const { info, files, cluster } = input;
  const lines = [
    `Dashboard  ${JSON.stringify(info.title)} (uid ${info.uid})`,
    `Size       ${thousands(info.bytes)} bytes of JSON, ${info.panels} panel${info.panels === 1 ? '' : 's'}`,
    `Sources    ${info.plugins.length ? info.plugins.join(', ') : 'default data source only'} → category ${info.category}`,
  ];
  files.forEach((file, i) => lines.push(`${i === 0 ? 'Files     ' : '          '} ${file.path} (${input.dryRun && file.change !== 'unchanged' ? `would be ${file.change}` : file.change})`));
  if (!cluster.applied) {
    lines.push(`Cluster    not applied: ${cluster.reason}`);
  } else {
    const verb = input.dryRun ? `would be ${cluster.operation}` : cluster.operation;
    const how = cluster.serverSide ? ' (server-side apply)' : '';
    const grafana = cluster.restarted ? '; Grafana restarted' : '';
    lines.push(`Cluster    ${verb}${how} in context ${cluster.kubeContext}${grafana}`);
    if (cluster.status) lines.push('', 'ConfigMap', ...indent(cluster.status));
    if (cluster.sidecarLog) lines.push('', 'Dashboard sidecar (last lines)', ...indent(cluster.sidecarLog));
  }
  lines.push('', ...nextSteps(input));
  return lines.join('\n');
}

function nextSteps(input: ReportInput): string[] {
  if (input.dryRun) return ['Dry run: nothing was written or applied. Run again without --dry-run to do it.'];
  const changed = input.files.filter((f) => f.change !== 'unchanged');
  if (changed.length === 0) return ['The repository already holds exactly this dashboard: nothing to commit.'];
  const verb = input.files[0]?.change === 'created' ? 'add' : 'update';
  return [
    'Next steps',
    `  git add ${changed.map((f) => f.path).join(' ')}`,
    `  git commit -m ${JSON.stringify(`dashboards: ${verb} ${input.name}`)}`,
  ];
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

// 467581 → "467,581", as toLocaleString('en-US') writes it, without loading ICU data (~15 ms).
function thousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

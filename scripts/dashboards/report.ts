// What dashboard-cm reports when it is done: the dashboard (title, uid, size, panels, data
// sources), the files, the cluster, and the exact git lines to run next.
import type { FileChange } from '../exec/files.ts';
import type { ClusterOutcome } from './cluster.ts';
import type { Dashboard } from './read-export.ts';
import { classifyDashboard, contentPanels, type Category, type Classification } from './classify.ts';
import { dashboardJsonText } from './configmap.ts';
import { utf8Length } from './plan-configmap.ts';

// --- The dashboard -------------------------------------------------------------------------------

export type DashboardInfo = { title: string; uid: string; bytes: number; panels: number; plugins: string[]; category: Category };

// Title, uid, size of the (pretty) JSON text in bytes, panels (rows' children and legacy rows included, rows not), plugins
// and category; callers that already have the text or the classification pass them in.
export function dashboardInfo(
  dashboard: Dashboard,
  jsonText: string = dashboardJsonText(dashboard),
  { plugins, category }: Classification = classifyDashboard(dashboard),
): DashboardInfo {
  return {
    title: String(dashboard.title ?? ''),
    uid: String(dashboard.uid ?? ''),
    bytes: utf8Length(jsonText),
    panels: contentPanels(dashboard).length,
    plugins,
    category,
  };
}

// --- The report ----------------------------------------------------------------------------------

export type ReportInput = {
  name: string;
  info: DashboardInfo;
  files: { path: string; change: FileChange }[];
  cluster: ClusterOutcome;
  dryRun: boolean;
  // What git sees as uncommitted among this dashboard's files and kustomizations (undefined: git could
  // not tell, so the files this run changed are listed instead).
  uncommitted?: { path: string; untracked: boolean }[];
  // The title of the dashboard this run replaced under the name (--replace), if any.
  replaced?: string;
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
    if (cluster.identity) lines.push(`           ${cluster.identity}`);
    if (cluster.status) lines.push('', 'ConfigMap', ...indent(cluster.status));
    if (cluster.sidecarLog) lines.push('', 'Dashboard sidecar (last lines)', ...indent(cluster.sidecarLog));
  }
  lines.push('', ...nextSteps(input));
  return lines.join('\n');
}

// NOTE: from what git sees, not from what this run changed: a re-run over an uncommitted earlier
// result changes nothing, yet that result still has to be added and committed.
function nextSteps(input: ReportInput): string[] {
  if (input.dryRun) return ['Dry run: nothing was written or applied. Run again without --dry-run to do it.'];
  const pending = input.uncommitted ?? input.files.filter((f) => f.change !== 'unchanged').map((f) => ({ path: f.path, untracked: f.change === 'created' }));
  if (pending.length === 0) return ['The repository already holds exactly this dashboard: nothing to commit.'];
  const target = input.files[0]?.path;
  const added = pending.some((f) => f.path === target && f.untracked) && input.replaced === undefined;
  const message = input.replaced !== undefined ? `dashboards: replace ${input.name} (was ${JSON.stringify(input.replaced)})` : `dashboards: ${added ? 'add' : 'update'} ${input.name}`;
  return ['Next steps', `  git add ${pending.map((f) => f.path).join(' ')}`, `  git commit -m ${JSON.stringify(message)}`];
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

// 467581 → "467,581", as toLocaleString('en-US') writes it, without loading ICU data.
function thousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

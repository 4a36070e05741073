// dashboard-cm: a Grafana export becomes a labelled dashboard ConfigMap in the repo, listed in
// the kustomizations, validated by the API server, applied, and loaded by Grafana.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TaskContext } from '../task/context.ts';
import type { FileChange } from '../exec/files.ts';
import type { Category } from './classify.ts';
import { prepareDashboard, type PreparedDashboard } from './prepare.ts';
import type { ClusterOutcome } from './cluster.ts';
import { formatReport } from './report.ts';
import { checkDashboardName } from './name.ts';

export type DashboardCmOptions = {
  name: string;
  file: string;
  offline: boolean;
  category: Category | 'auto';
  folder?: string;
  serverSide: boolean;
  restart: boolean;
  extract: boolean;
  rewriteInputs: boolean;
  timeout: number;
};

export type DashboardCmResult = { target: string; files: { path: string; change: FileChange }[]; cluster: ClusterOutcome };

// Runs dashboard-cm (or its --extract reverse) in the repository at context.cwd.
export async function dashboardCm(options: DashboardCmOptions, context: TaskContext): Promise<DashboardCmResult> {
  if (options.extract) return extract(options, context);
  const prepared = prepareDashboard({
    root: context.cwd,
    name: options.name,
    file: options.file,
    category: options.category,
    folder: options.folder,
    rewriteInputs: options.rewriteInputs,
  });
  for (const warning of prepared.warnings) context.ui.warn(warning);
  for (const note of prepared.configMap.notes) context.ui.info(note);
  const files: { path: string; change: FileChange }[] = [];
  files.push({ path: prepared.target, change: await context.files.write(prepared.target, prepared.configMap.yaml) });
  for (const edit of prepared.kustomizations) files.push({ path: edit.path, change: await context.files.write(edit.path, edit.after) });
  for (const stale of prepared.stale) files.push({ path: stale, change: await context.files.remove(stale) });
  const cluster: ClusterOutcome = options.offline ? { applied: false, reason: '--offline' } : await apply(prepared, options, context);
  if (!cluster.applied && !options.offline) context.ui.warn(`not applied to a cluster: ${cluster.reason}`);
  context.ui.result(formatReport({ name: options.name, info: prepared.info, files, cluster, dryRun: context.dryRun }));
  return { target: prepared.target, files, cluster };
}

// Loaded here, not at the top: --offline runs never need cluster.ts or the kubectl adapter.
async function apply(prepared: PreparedDashboard, options: DashboardCmOptions, context: TaskContext): Promise<ClusterOutcome> {
  const { applyToCluster } = await import('./cluster.ts');
  return applyToCluster(prepared, { name: options.name, serverSide: options.serverSide, restart: options.restart, timeoutSeconds: options.timeout }, context);
}

// --extract: the repository's dashboard JSON back into the export file, for editing in Grafana.
// extract.ts (and the YAML parser it needs) is loaded only here.
async function extract(options: DashboardCmOptions, context: TaskContext): Promise<DashboardCmResult> {
  checkDashboardName(options.name);
  const { extractDashboard } = await import('./extract.ts');
  const { file, text } = extractDashboard(context.cwd, options.name);
  const output = resolve(context.cwd, options.file);
  if (existsSync(output) && readFileSync(output, 'utf8') !== text) {
    const overwrite = await context.ask.confirm(`${options.file} holds another dashboard export; overwrite it with ${options.name}?`);
    if (!overwrite) {
      context.ui.result(`Left ${options.file} as it was.`);
      return { target: file, files: [], cluster: { applied: false, reason: '--extract' } };
    }
  }
  const change = await context.files.write(options.file, text);
  context.ui.result(
    [
      `${context.dryRun ? 'Would write' : 'Wrote'} ${options.file} from ${file} (${change}).`,
      'Edit it in Grafana: Dashboards → New → Import → paste the JSON (or Dashboard settings → JSON Model), save,',
      `export the JSON model again into ${options.file}, then run: npx zx tasks/dashboard-cm.ts ${options.name}`,
    ].join('\n'),
  );
  return { target: file, files: [{ path: options.file, change }], cluster: { applied: false, reason: '--extract' } };
}

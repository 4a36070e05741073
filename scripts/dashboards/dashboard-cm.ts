// dashboard-cm: a Grafana export becomes a labelled dashboard ConfigMap in the repo, listed in
// the kustomizations, validated by the API server, applied, and loaded by Grafana.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TaskContext } from '../task/context.ts';
import { InterruptedError } from '../core/errors.ts';
import type { FileOperation, FileResult } from '../exec/files.ts';
import { acquireRepoLock, waitingMessage } from '../exec/lock.ts';
import type { Category } from './classify.ts';
import { prepareDashboard, type PreparedDashboard } from './prepare.ts';
import type { ClusterOutcome } from './cluster.ts';
import { formatReport } from './report.ts';
import { checkDashboardName } from './name.ts';
import { extractDashboard } from './extract.ts';
import { readGitStatus, uncommittedAfter, type GitStatus } from './uncommitted.ts';
import { LOGGING_DIR } from './target.ts';

// Where Grafana's export goes when --file is not given, relative to the repository root.
export const DEFAULT_EXPORT = 'tmp/dashboard.json';

export type DashboardCmOptions = {
  name: string;
  // Relative to the directory the command was run from; DEFAULT_EXPORT (in the repository) when not given.
  file?: string;
  offline: boolean;
  category: Category | 'auto';
  folder?: string;
  replace?: boolean;
  serverSide: boolean;
  restart: boolean;
  extract: boolean;
  rewriteInputs: boolean;
  timeout: number;
};

export type DashboardCmResult = { target: string; files: FileResult[]; cluster: ClusterOutcome };

// Runs dashboard-cm (or its --extract reverse) in the repository at context.cwd.
export async function dashboardCm(options: DashboardCmOptions, context: TaskContext): Promise<DashboardCmResult> {
  if (options.extract) return extract(options, context);
  const input = exportFile(options, context);
  // NOTE: the reads that decide the writes happen under the lock too, or two runs would both
  // plan from the same kustomization and the second write would drop the first one's entry.
  const lock = context.dryRun
    ? undefined
    : await acquireRepoLock(context.cwd, { command: `dashboard-cm ${options.name}`, signal: context.signal, onWait: (holder) => context.ui.info(waitingMessage(holder)) });
  let prepared: PreparedDashboard;
  let files: FileResult[];
  let before: GitStatus | undefined;
  // Read while the dashboard is prepared, and under the lock so that no other run's writes are in
  // it; this run's writes are added to it afterwards.
  const gitStatus = context.dryRun ? undefined : readGitStatus(context.cwd, [LOGGING_DIR]);
  try {
    prepared = prepareDashboard({
      root: context.cwd,
      name: options.name,
      path: input.path,
      file: input.label,
      category: options.category,
      folder: options.folder,
      rewriteInputs: options.rewriteInputs,
      replace: options.replace,
    });
    for (const warning of prepared.warnings) context.ui.warn(warning);
    for (const note of [...prepared.notes, ...prepared.configMap.notes]) context.ui.info(note);
    // Ctrl-C while the dashboard was prepared: stop before the first write rather than after.
    if (context.signal.aborted) throw new InterruptedError('interrupted (Ctrl-C) before anything was written');
    files = await context.files.apply(fileOperations(prepared));
    before = await gitStatus;
  } finally {
    lock?.release();
  }
  const cluster: ClusterOutcome = options.offline ? { applied: false, reason: '--offline' } : await apply(prepared, options, context);
  if (!cluster.applied && !options.offline) context.ui.warn(`not applied to a cluster: ${cluster.reason}`);
  const uncommitted = before && uncommittedAfter(before, files, [prepared.target, ...prepared.stale, ...prepared.kustomizationFiles]);
  context.ui.result(formatReport({ name: options.name, info: prepared.info, files, cluster, dryRun: context.dryRun, uncommitted, replaced: replacedTitle(prepared) }));
  return { target: prepared.target, files, cluster };
}

// The ConfigMap, then the kustomizations, then the removal of a ConfigMap left in another folder: all or none.
function fileOperations(prepared: PreparedDashboard): FileOperation[] {
  return [
    { path: prepared.target, content: prepared.configMap.yaml },
    ...prepared.kustomizations.map((edit) => ({ path: edit.path, content: edit.after })),
    ...prepared.stale.map((path) => ({ path, remove: true as const })),
  ];
}

// The export to read: --file relative to where the command was run, or the repository's tmp/dashboard.json.
function exportFile(options: DashboardCmOptions, context: TaskContext): { path: string; label: string } {
  if (options.file === undefined) return { path: resolve(context.cwd, DEFAULT_EXPORT), label: DEFAULT_EXPORT };
  return { path: resolve(context.invocationDir, options.file), label: options.file };
}

function replacedTitle(prepared: PreparedDashboard): string | undefined {
  const { existing, dashboard } = prepared;
  return existing?.uid !== undefined && existing.uid !== String(dashboard.uid) ? existing.title ?? existing.uid : undefined;
}

// Loaded here, not at the top: --offline runs never need cluster.ts or the kubectl adapter.
async function apply(prepared: PreparedDashboard, options: DashboardCmOptions, context: TaskContext): Promise<ClusterOutcome> {
  const { applyToCluster } = await import('./cluster.ts');
  return applyToCluster(prepared, { name: options.name, serverSide: options.serverSide, restart: options.restart, timeoutSeconds: options.timeout }, context);
}

// --extract: the repository's dashboard JSON back into the export file, for editing in Grafana.
async function extract(options: DashboardCmOptions, context: TaskContext): Promise<DashboardCmResult> {
  checkDashboardName(options.name);
  const { file, text } = extractDashboard(context.cwd, options.name);
  const { path: output, label } = exportFile(options, context);
  if (existsSync(output) && readFileSync(output, 'utf8') !== text) {
    const overwrite = await context.ask.confirm(`${label} holds another dashboard export; overwrite it with ${options.name}?`);
    if (!overwrite) {
      context.ui.result(`Left ${label} as it was.`);
      return { target: file, files: [], cluster: { applied: false, reason: '--extract' } };
    }
  }
  const change = await context.files.write(output, text);
  const again = options.file === undefined ? '' : ` --file ${options.file}`;
  context.ui.result(
    [
      `${context.dryRun ? 'Would write' : 'Wrote'} ${label} from ${file} (${change}).`,
      'Edit it in Grafana: Dashboards → New → Import → paste the JSON (or Dashboard settings → JSON Model), save,',
      `export the JSON model again into ${label}, then run: npx zx tasks/dashboard-cm.ts ${options.name}${again}`,
    ].join('\n'),
  );
  return { target: file, files: [{ path: label, change }], cluster: { applied: false, reason: '--extract' } };
}

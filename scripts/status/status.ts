// `status [<cluster>…]`: reads each cluster through its own kube context (--context, else its
// settings' one), checks it is that cluster, and prints its health; one line per cluster when
// there are several, JSON with --json, the dependsOn graph with --graph. Read-only; exit 0 when
// every cluster is healthy, 1 when not.
import { TaskError, UsageError } from '../core/errors.ts';
import { createKubectl } from '../adapters/kubectl.ts';
import { clusterContext } from '../cluster/guard.ts';
import { listClusters, readClusterSettings } from '../cluster/settings.ts';
import type { TaskContext } from '../task/context.ts';
import { formatClusterLines, formatClusterStatus, type ClusterOutcome } from './format.ts';
import { mermaidGraph } from './graph.ts';
import { readClusterStatus } from './read.ts';

export type StatusOptions = {
  clusters: string[];
  all: boolean;
  json: boolean;
  graph: boolean;
  context?: string;
  // The clock durations are measured with (tests pass a fixed one).
  now?: () => Date;
};

export const STATUS_JSON_VERSION = 1;

// Runs status; resolves to the exit code.
export async function status(options: StatusOptions, context: TaskContext): Promise<number> {
  const clusters = await chooseClusters(options, context);
  if (options.context !== undefined && clusters.length > 1) {
    throw new UsageError(`--context names one cluster's context; ${clusters.length} clusters were asked for (each uses the context of its clusters/<name>/settings.yaml)`);
  }
  const now = options.now ?? (() => new Date());
  const outcomes = await Promise.all(clusters.map((cluster) => clusterOutcome(cluster, options, context, now, clusters.length === 1 && !options.json)));
  const healthy = outcomes.every((o) => o.status?.healthy === true);
  if (options.json) {
    context.ui.result(JSON.stringify({
      version: STATUS_JSON_VERSION,
      healthy,
      clusters: outcomes.map((o) => (o.status ? { ...o.status, ...(options.graph ? { graph: mermaidGraph(o.status) } : {}) } : { cluster: o.cluster, context: o.context, error: o.error })),
    }, null, 2));
  } else if (options.graph) {
    for (const o of outcomes) {
      if (o.status?.isCluster) context.ui.result(mermaidGraph(o.status));
      else context.ui.error(`✗ ${o.cluster}: ${o.status ? o.status.identityText : o.error}`);
    }
  } else if (outcomes.length === 1) {
    context.ui.result(formatClusterStatus(outcomes[0].status!));
  } else {
    context.ui.result(formatClusterLines(outcomes));
  }
  return healthy ? 0 : 1;
}

// The clusters asked for: named, --all, or chosen at a terminal.
async function chooseClusters(options: StatusOptions, context: TaskContext): Promise<string[]> {
  const known = listClusters(context.cwd);
  if (options.all) return known;
  if (options.clusters.length) return [...new Set(options.clusters)];
  const all = '(all clusters)';
  if (!context.interactive) throw new UsageError(`name a cluster (${known.join(', ')}) or pass --all`);
  const chosen = await context.ask.select('which cluster?', [...known.map((c) => ({ title: c, value: c })), { title: 'all clusters', value: all }], '<cluster>');
  return chosen === all ? known : [chosen];
}

// One cluster's status; `rethrow` lets a single cluster's failure reach the task runner (its hint
// and exit 1), while several clusters report each failure on its own line.
async function clusterOutcome(cluster: string, options: StatusOptions, context: TaskContext, now: () => Date, rethrow: boolean): Promise<ClusterOutcome> {
  let kubeContext: string | undefined;
  try {
    const settings = readClusterSettings(context.cwd, cluster);
    kubeContext = await clusterContext(context.runner, settings, options.context);
    const kubectl = createKubectl(context.runner, { context: kubeContext });
    const status = await readClusterStatus(context, kubectl, cluster, settings.github.branch, now());
    return { cluster, context: kubeContext, status };
  } catch (error) {
    if (rethrow || !(error instanceof TaskError)) throw error;
    return { cluster, context: kubeContext, error: error.message };
  }
}

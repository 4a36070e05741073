// The health of one or more clusters: Flux objects not Ready, suspensions, stuck HelmReleases,
// pods not running, warning events and the applied revision against origin. Read-only.
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';
import { clusterChoices } from '../scripts/task/suggest.ts';

const task = defineTask({
  name: 'status',
  summary: 'show the health of clusters: Flux objects not Ready, suspensions, stuck HelmReleases, pods, warnings, revision',
  description: [
    'For each cluster (clusters/<name>), reads its kube context from clusters/<name>/settings.yaml (or --context),',
    'checks that the context is that cluster (the flux-system Kustomization syncs ./clusters/<name>), then shows:',
    'Flux objects not Ready (reason, message, for how long), suspended objects (since when, by whom and why, from',
    'the gitops-tasks/ annotations), HelmReleases stuck (another operation in progress, retries exhausted, failed',
    'remediation) with the next step, pods not running, the last warning events, and the revision Flux applied',
    'against the local origin/<branch>. Several clusters: one line each. Never changes anything.',
    'Exit 0 when every cluster is healthy, 1 when not.',
  ].join('\n'),
  arguments: [{ name: 'clusters', description: 'clusters to show (folders of clusters/)', variadic: true, suggest: clusterChoices }],
  options: {
    all: { type: 'boolean', description: 'every cluster of clusters/' },
    json: { type: 'boolean', description: 'print JSON: { version, healthy, clusters: [...] }' },
    graph: { type: 'boolean', description: "print the Kustomizations' dependsOn graph as a Mermaid flowchart with each one's live state" },
  },
  cluster: true,
  // It changes nothing: no --dry-run or --yes.
  readOnly: true,
  contextDefault: 'the context: of clusters/<cluster>/settings.yaml',
  // NOTE: each cluster's context comes from its settings (or --context), never the current one,
  // so the runner resolves none.
  needsCluster: () => false,
  examples: ['staging', '--all', 'production --json', 'staging --graph', 'staging --context kind-staging'],
  load: () => import('../scripts/status/status.ts'),
  run: (options, context, { status }) => status({ ...options, context: options.context as string | undefined }, context),
});

export default task;
await runIfMain(task, import.meta.url);

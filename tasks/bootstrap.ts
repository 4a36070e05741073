// flux bootstrap github for a cluster of clusters/, with a preflight and a health wait.
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';
import { clusterChoices } from '../scripts/task/suggest.ts';

const task = defineTask({
  name: 'bootstrap',
  summary: 'install Flux on a cluster with flux bootstrap github, after a preflight, and wait until it is healthy',
  description: [
    'Preflight: clusters/<cluster>/settings.yaml valid, kubectl reaches the kube context (--context, else',
    "the settings' context), that context is this cluster (not another one's Flux), flux check --pre, and",
    'GITHUB_TOKEN set (passed to flux by environment, masked everywhere). A cluster already bootstrapped',
    'from this repository and path is only checked for health; one bootstrapped from elsewhere is refused.',
    'Then flux bootstrap github with the owner, repository, branch and personal flag of the settings and',
    '--path=./clusters/<cluster> --token-auth, and a wait for the four controllers and flux-system.',
  ].join('\n'),
  arguments: [{ name: 'cluster', description: 'the cluster (a folder of clusters/)', required: true, suggest: clusterChoices }],
  options: {
    timeout: { type: 'integer', description: 'seconds to wait for the controllers and flux-system', default: 300, minimum: 1, placeholder: 'seconds' },
  },
  cluster: true,
  contextDefault: 'the context: of clusters/<cluster>/settings.yaml',
  // The context comes from the cluster's settings (or --context), resolved by the guard.
  needsCluster: () => false,
  examples: ['staging', 'production --dry-run'],
  load: () => import('../scripts/bootstrap/bootstrap.ts'),
  run: (options, context, { bootstrap }) => bootstrap(options, context),
});

export default task;
await runIfMain(task, import.meta.url);

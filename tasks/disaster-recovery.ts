// The incident runbook as a task: assess → suspend everything → choose the known-good commit →
// restore (revert or apply) → verify → resume → report; journaled and resumable.
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';
import { clusterChoices } from '../scripts/task/suggest.ts';

const task = defineTask({
  name: 'disaster-recovery',
  summary: 'bring a cluster back to a known-good commit: suspend Flux, restore, verify, resume, report',
  description: [
    'The runbook of docs (flux suspend --all → checkout LAST_KNOWN_GOOD → kubectl apply -k → flux resume)',
    'as steps, each shown and confirmed before it changes anything (--yes), journaled in tmp/incidents/:',
    '1 assess (the status view, saved); 2 suspend every Kustomization and HelmRelease in every namespace',
    '(what was suspended before stays so); 3 choose the known-good commit (--to, or from the recent commits',
    "of the cluster's paths); 4 restore: revert (default: revert commits pushed, Flux applies them) or apply",
    '(Flux itself broken: the commit built and applied server-side as kustomize-controller, flux-system',
    'excluded, diff first); 5 verify; 6 resume what this run suspended, level by level in dependsOn order,',
    'and reconcile the sources; 7 the incident report (Markdown). Interrupted anywhere, the same command',
    'continues from the last completed step. A production cluster needs its name typed (--confirm-cluster).',
  ].join('\n'),
  arguments: [{ name: 'cluster', description: 'the cluster (a folder of clusters/)', required: true, suggest: clusterChoices }],
  options: {
    to: { type: 'string', description: 'the known-good commit (default: chosen at the terminal)', placeholder: 'commit' },
    strategy: { type: 'string', description: 'revert (commits pushed, GitOps-native) or apply (Flux itself is broken)', choices: ['revert', 'apply'], default: 'revert' },
    confirmCluster: { type: 'string', description: 'the cluster name, typed, for a production cluster (--yes does not answer that)', placeholder: 'name' },
    timeout: { type: 'integer', description: 'seconds to wait for the cluster to recover (verify) and the sources to reconcile', default: 600, minimum: 1, placeholder: 'seconds' },
  },
  cluster: true,
  contextDefault: 'the context: of clusters/<cluster>/settings.yaml',
  // The context comes from the cluster's settings (or --context), through the wrong-cluster guard.
  needsCluster: () => false,
  examples: ['staging --to 4f2a9c1', 'production --strategy apply --to v1.4.2', 'staging --dry-run'],
  load: () => import('../scripts/runbook/disaster-recovery.ts'),
  run: async (options, context, { disasterRecovery }) => void (await disasterRecovery(options, context)),
});

export default task;
await runIfMain(task, import.meta.url);

// Offline check of the whole GitOps tree: YAML, Flux builds, schemas, the dependency graph and
// policy. Replaces `make validate` / scripts/validate.sh.
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';

const task = defineTask({
  name: 'validate',
  summary: 'check the GitOps tree offline: YAML, Flux builds, schemas, dependsOn graph and policy',
  description: [
    'Builds each Flux Kustomization of clusters/<cluster> once, as kustomize-controller does (its',
    'transformations and postBuild substitution), and checks the YAML, the built objects, the',
    'sources and dependsOn graph, pinned chart versions, plain-text Secrets and dashboard ConfigMaps.',
    'No cluster and no network. Exit 0 clean, 1 errors (warnings too with --strict), 2 usage.',
  ].join('\n'),
  arguments: [{ name: 'clusters', description: 'clusters to validate (default: every folder of clusters/)', variadic: true }],
  options: {
    format: { type: 'string', description: 'output format', default: 'text', choices: ['text', 'json', 'github'] },
    strict: { type: 'boolean', description: 'warnings fail the run too (exit 1)' },
    changed: { type: 'string', description: 'only the Kustomizations that files changed since <base> touch (alone: since the merge base with the default branch)', placeholder: 'base', valueWhenBare: '' },
    cache: { type: 'boolean', description: 'neither read nor write the cache of builds and results (node_modules/.cache/gitops-tasks/validate)', default: true },
    jobs: { type: 'integer', description: 'kubectl kustomize processes side by side (default: the CPU count)', minimum: 1, placeholder: 'n' },
  },
  readOnly: true,
  examples: ['staging', '--format github', '--strict --format json', 'staging --changed', '--changed origin/main'],
  load: () => import('../scripts/validate/run.ts'),
  run: async (options, context, { runValidate }) => void (await runValidate(options, context)),
});

export default task;
await runIfMain(task, import.meta.url);

// dev-workflow start: a branch for the work, Flux paused for the chosen objects, the session saved.
import { randomBytes } from 'node:crypto';
import { TaskError, UsageError } from '../core/errors.ts';
import { fluxResource } from '../adapters/flux-kinds.ts';
import type { FluxObject } from '../adapters/flux-status.ts';
import { clusterModels, kustomizationsBuilding } from '../gitops/flux.ts';
import { loadTree } from '../gitops/tree.ts';
import type { TaskContext } from '../task/context.ts';
import { changedSince, gitWith } from '../validate/run.ts';
import { openWorkflow, requireContext, whoAmI, type Workflow } from './open.ts';
import { suspendTargets, type Target } from './pause.ts';
import { branchName, objectRef, type Session } from './session.ts';

export type StartOptions = { description: string; kustomization: string[]; all: boolean; base?: string; stash: boolean };

// Starts a session; returns it.
export async function start(options: StartOptions, context: TaskContext): Promise<Session> {
  const workflow = openWorkflow(context, { session: 'optional' });
  const { git, store, ui } = { ...workflow, ui: context.ui };
  if (workflow.session) {
    const s = workflow.session;
    throw new TaskError(`a dev-workflow session is already active: "${s.description}" on ${s.branch} (started ${s.startedAt})`, {
      hint: 'finish it (npx zx tasks/dev-workflow.ts finish "<message>"), abort it (… abort), or see it (… status)',
    });
  }
  const kubeContext = requireContext(workflow);
  if (!options.description.trim()) throw new UsageError('the description must not be empty');
  const branch = branchName(options.description);
  if (await git.branchExists(branch)) {
    throw new TaskError(`branch ${branch} exists already`, { hint: 'describe the session differently, or delete the old branch (git branch -D …) if it is done' });
  }
  const base = options.base ?? (await git.currentBranch());
  const baseSha = await git.resolve(base);
  if (!baseSha) throw new UsageError(`--base ${base} names no branch or commit`);
  const targets = await chooseTargets(options, workflow, base);
  const stash = await stashIfDirty(options, workflow, branch);

  await git.switchNew(branch, base);
  const session: Session = {
    version: 1,
    id: `${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`,
    description: options.description,
    branch,
    base,
    baseSha,
    kubeContext,
    startedAt: new Date().toISOString(),
    ...(stash ? { stash } : {}),
    suspended: [],
    created: [],
    tested: [],
    checkpoints: 0,
  };
  store.save(session, `started on ${branch} from ${base} (${baseSha.slice(0, 12)})`);
  const paused = context.recover(
    `the session has started: Flux may be partly paused — see \`npx zx tasks/dev-workflow.ts status\`, then \`npx zx tasks/dev-workflow.ts resume\` (keep the session) or \`… abort\` (end it)`,
  );
  await suspendTargets(targets, session, store, workflow.flux, await whoAmI(workflow), context.steps);
  paused.done();
  const already = session.suspended.filter((s) => s.state === 'already');
  const lines = [
    `Session "${options.description}" started on branch ${branch} (from ${base}), context ${kubeContext}.`,
    `Suspended: ${session.suspended.filter((s) => s.state === 'suspended').map(objectRef).join(', ') || 'nothing'}`,
  ];
  if (already.length) lines.push(`Already suspended before this session (left as they are): ${already.map(objectRef).join(', ')}`);
  if (stash) lines.push(`Your uncommitted changes are in the stash: "${stash}" (git stash list).`);
  lines.push('Next: npx zx tasks/dev-workflow.ts test <file|dir>  ·  … checkpoint "<msg>"  ·  … finish "<type>: <message>"');
  ui.result(lines.join('\n'));
  return session;
}

// What to suspend: --all, --kustomization, or (at a terminal) chosen from the cluster's list with
// the Kustomizations that build files changed on this branch marked.
async function chooseTargets(options: StartOptions, workflow: Workflow, base: string): Promise<Target[]> {
  const { kubectl, context } = workflow;
  const list = async (kind: 'kustomization' | 'helmrelease') =>
    (await kubectl.list<FluxObject>(fluxResource(kind), { allNamespaces: true })).map((o) => ({
      kind: kind === 'kustomization' ? ('Kustomization' as const) : ('HelmRelease' as const),
      namespace: o.metadata.namespace ?? 'flux-system',
      name: o.metadata.name,
    }));
  if (options.all) return [...(await list('kustomization')), ...(await list('helmrelease'))];
  if (options.kustomization.length) {
    return options.kustomization.map((ref) => {
      const [namespace, name] = ref.includes('/') ? ref.split('/', 2) : ['flux-system', ref];
      if (!name) throw new UsageError(`--kustomization ${ref}: use <namespace>/<name> or <name> (namespace flux-system)`);
      return { kind: 'Kustomization' as const, namespace, name };
    });
  }
  if (!context.interactive) {
    throw new UsageError('say what to pause: --kustomization <namespace/name> (repeatable) or --all (every Kustomization and HelmRelease)');
  }
  const live = await list('kustomization');
  const owners = await changedOwners(workflow, base);
  const chosen = await context.ask.multiselect(
    'Which Kustomizations should Flux stop reconciling while you work?',
    live.map((k) => {
      const id = `${k.namespace}/${k.name}`;
      return { title: owners.has(id) ? `${id}  (builds files changed on this branch)` : id, value: id, selected: owners.has(id) };
    }),
    '--kustomization <namespace/name> or --all',
  );
  if (!chosen.length) throw new UsageError('nothing chosen to pause: choose at least one Kustomization (space), or pass --kustomization');
  return chosen.map((id) => ({ kind: 'Kustomization' as const, namespace: id.split('/')[0], name: id.split('/')[1] }));
}

// `namespace/name` of the Flux Kustomizations whose build reads a file changed since `base`'s
// merge base with the default branch (nothing when git cannot tell).
async function changedOwners(workflow: Workflow, base: string): Promise<Set<string>> {
  try {
    const { files } = await changedSince(gitWith(workflow.context.runner, workflow.context.cwd), base === (await workflow.git.currentBranch()) ? '' : base);
    const models = clusterModels(loadTree(workflow.context.cwd));
    return new Set(files.flatMap((file) => kustomizationsBuilding(models, file).map((o) => o.kustomization.id)));
  } catch {
    return new Set();
  }
}

// Stashes uncommitted changes when told to (--stash, or yes at a terminal); refuses otherwise.
async function stashIfDirty(options: StartOptions, workflow: Workflow, branch: string): Promise<string | undefined> {
  const { git, context } = workflow;
  const changes = await git.status();
  if (!changes.length) return undefined;
  const listed = changes.slice(0, 5).map((c) => c.path).join(', ') + (changes.length > 5 ? `, … (${changes.length} in all)` : '');
  const stash = options.stash || (context.interactive && (await context.ask.confirm(`The work tree has uncommitted changes (${listed}). Stash them and go on?`)));
  if (!stash) {
    throw new TaskError(`the work tree has uncommitted changes: ${listed}`, { hint: 'commit them, or stash them (git stash push -u, or pass --stash), then start again' });
  }
  const message = `dev-workflow: before ${branch}`;
  await git.stash(message);
  return message;
}

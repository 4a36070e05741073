// The two ways back to a known-good commit. `revert` (GitOps-native): revert commits for every
// commit after it that touches the cluster's paths, made in a separate worktree under tmp/ (never
// the operator's work tree) and pushed, so Flux applies them once resumed. `apply` (when Flux itself
// is broken): the known-good commit checked out in a worktree under tmp/, each Flux Kustomization
// path built as Flux builds it and applied server-side as kustomize-controller — except flux-system,
// so Flux's controllers and CRDs are never downgraded — with the diff shown first.
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Kubectl } from '../adapters/kubectl.ts';
import { applyOrder, clusterModel } from '../gitops/flux.ts';
import { loadTree } from '../gitops/tree.ts';
import type { TaskContext } from '../task/context.ts';
import { buildPath } from '../dev-workflow/build.ts';
import { commitsAfter } from './commits.ts';

export const FLUX_FIELD_MANAGER = 'kustomize-controller';
const ROOT = 'flux-system/flux-system';

export type RestorePlan = { remote: string; branch: string; knownGood: string; paths: string[]; worktree: string };

// A worktree of `ref` at `dir` (replacing one an interrupted run left there).
async function addWorktree(context: TaskContext, dir: string, ref: string): Promise<void> {
  const run = (args: string[], kind: 'read' | 'write' = 'write') => context.runner.run({ program: 'git', args, kind, touches: 'git', cwd: context.cwd, purpose: `git ${args.slice(0, 2).join(' ')}` });
  if (existsSync(dir)) {
    await run(['worktree', 'remove', '--force', dir]).catch(() => rmSync(dir, { recursive: true, force: true }));
    await run(['worktree', 'prune']);
  }
  await run(['worktree', 'add', '--detach', dir, ref]);
}

async function removeWorktree(context: TaskContext, dir: string): Promise<void> {
  if (context.dryRun || !existsSync(dir)) return;
  await context.runner.run({ program: 'git', args: ['worktree', 'remove', '--force', dir], kind: 'write', touches: 'git', cwd: context.cwd, purpose: 'remove the worktree' });
}

// revert: one revert commit per commit after the known-good one (newest first), pushed to the
// branch Flux follows; returns the revert commits (none when Git already matches it).
export async function revertTo(context: TaskContext, plan: RestorePlan): Promise<string[]> {
  const ref = `${plan.remote}/${plan.branch}`;
  const bad = await commitsAfter(context.runner, context.cwd, plan.knownGood, ref, plan.paths);
  if (!bad.length) {
    context.ui.info(`${ref} has no commit after ${plan.knownGood.slice(0, 12)} on the cluster's paths: nothing to revert`);
    return [];
  }
  if (context.dryRun) {
    for (const sha of bad) await context.runner.run({ program: 'git', args: ['revert', '--no-edit', sha], kind: 'write', touches: 'git', cwd: context.cwd });
    await context.runner.run({ program: 'git', args: ['push', plan.remote, `HEAD:${plan.branch}`], kind: 'write', touches: 'git', cwd: context.cwd });
    return [];
  }
  await addWorktree(context, plan.worktree, ref);
  try {
    for (const sha of bad) {
      const parents = (await context.runner.run({ program: 'git', args: ['rev-list', '--parents', '-n1', sha], kind: 'read', cwd: plan.worktree })).stdout.trim().split(' ').length - 1;
      await context.runner.run({
        program: 'git', args: ['revert', '--no-edit', ...(parents > 1 ? ['-m', '1'] : []), sha], kind: 'write', touches: 'git', cwd: plan.worktree,
        purpose: `git revert ${sha.slice(0, 12)}`,
        hint: `the revert conflicts with a later change: resolve it in ${relative(context.cwd, plan.worktree)} (git status there), commit, push, then run the recovery again; or use --strategy apply`,
      });
    }
    const reverts = context.dryRun ? [] : (await context.runner.run({ program: 'git', args: ['rev-list', `${ref}..HEAD`], kind: 'read', cwd: plan.worktree })).stdout.split('\n').filter(Boolean);
    await context.runner.run({
      program: 'git', args: ['push', plan.remote, `HEAD:${plan.branch}`], kind: 'write', touches: 'git', cwd: plan.worktree,
      purpose: `push the reverts to ${plan.remote}/${plan.branch}`,
      hint: 'someone pushed meanwhile: run the recovery again (it reverts what is new), or push from the worktree by hand',
    });
    return reverts;
  } finally {
    await removeWorktree(context, plan.worktree);
  }
}

// apply: the known-good commit's builds applied server-side as kustomize-controller (diff shown
// and confirmed first); returns the Kustomizations applied.
export async function applyKnownGood(context: TaskContext, kubectl: Kubectl, plan: RestorePlan, cluster: string, confirm: (diff: string) => Promise<void>): Promise<string[]> {
  if (context.dryRun) {
    context.ui.wouldRun(`git worktree add --detach ${relative(context.cwd, plan.worktree)} ${plan.knownGood}, then build each Flux Kustomization of ${cluster} but flux-system there and kubectl apply --server-side --field-manager=${FLUX_FIELD_MANAGER} --force-conflicts (the diff is shown first)`);
    return [];
  }
  await addWorktree(context, plan.worktree, plan.knownGood);
  try {
    const model = clusterModel(loadTree(plan.worktree), cluster);
    const order = applyOrder(model) ?? model.kustomizations.map((k) => k.id);
    const kustomizations = order.map((id) => model.kustomizations.find((k) => k.id === id)!).filter((k) => k && k.id !== ROOT && k.local && k.path && existsSync(join(plan.worktree, k.path)));
    const builds = [];
    for (const k of kustomizations) builds.push({ id: k.id, built: await buildPath(plan.worktree, k.path!, context.runner) });
    const diffs: string[] = [];
    for (const { id, built } of builds) {
      const diff = await kubectl.run('read', ['diff', '--server-side', `--field-manager=${FLUX_FIELD_MANAGER}`, '--force-conflicts', '-f', '-'], { input: built.yaml, okExitCodes: [1], purpose: `kubectl diff of ${id}` });
      if (diff.stdout.trim()) diffs.push(`# ${id}\n${diff.stdout.trimEnd()}`);
    }
    if (!diffs.length) {
      context.ui.info('the cluster already matches the known-good commit: nothing to apply');
      return [];
    }
    await confirm(diffs.join('\n'));
    for (const { id, built } of builds) {
      await kubectl.run('write', ['apply', '--server-side', `--field-manager=${FLUX_FIELD_MANAGER}`, '--force-conflicts', '-f', '-'], { input: built.yaml, purpose: `apply ${id} at the known-good commit` });
    }
    return builds.map((b) => b.id);
  } finally {
    await removeWorktree(context, plan.worktree);
  }
}

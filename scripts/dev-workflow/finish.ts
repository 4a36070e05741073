// dev-workflow finish, abort and resume: ending a session (or only unpausing it) so that Flux is
// never left paused by accident. Each step is recorded in the session before the next, so running
// the same command again after a failure continues where it stopped, and never repeats a step
// with a different result.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TaskError, UsageError } from '../core/errors.ts';
import { clusterModels, applyOrder } from '../gitops/flux.ts';
import { loadTree } from '../gitops/tree.ts';
import type { TaskContext } from '../task/context.ts';
import { validate } from '../validate/validate.ts';
import { formatText } from '../validate/format.ts';
import { kustomizeWith } from '../validate/run.ts';
import { deleteObjects, identityOf, objectKey } from './apply.ts';
import { buildPath } from './build.ts';
import { refuseSecrets } from './checkpoint.ts';
import { commitMessageProblem } from './commit-message.ts';
import { openWorkflow, requireContext, type Workflow } from './open.ts';
import { resumeSession } from './pause.ts';
import { objectRef, type CreatedObject } from './session.ts';

export type FinishOptions = { message: string; push: boolean; pr: boolean; timeout: number };

// Validates, squashes the session into one commit, removes what test created and the tree no
// longer has, resumes Flux in dependsOn order, optionally pushes and opens a pull request.
export async function finish(options: FinishOptions, context: TaskContext): Promise<void> {
  const problem = commitMessageProblem(options.message);
  if (problem) throw new UsageError(`the commit message is not a conventional commit: ${problem}`);
  const workflow = openWorkflow(context, { session: 'required', timeoutSeconds: options.timeout });
  requireContext(workflow);
  const { git, store } = workflow;
  const session = workflow.session!;
  if ((await git.currentBranch()) !== session.branch) {
    throw new TaskError(`you are not on the session's branch ${session.branch}`, { hint: `git switch ${session.branch}, then finish again` });
  }
  if (session.finish?.squashed === undefined) {
    await checkTree(workflow);
    refuseSecrets(context.cwd, await git.changedSince(session.baseSha));
    if (!(await git.isClean())) await git.commitAll(`checkpoint: before finish`);
    const head = await git.headSha();
    const backupRef = `refs/dev-workflow/backup/${session.branch}`;
    if (!session.finish?.backupRef) {
      await git.updateRef(backupRef, head);
      session.finish = { message: options.message, backupRef };
      store.save(session, `backup of the unsquashed branch at ${backupRef} (${head.slice(0, 12)})`);
    }
    // NOTE: a crash between the reset and the commit leaves HEAD at the base with everything
    // staged: the next finish sees HEAD === baseSha and only commits.
    if (head !== session.baseSha) await git.resetSoft(session.baseSha);
    const changed = !(await git.isClean());
    const squashed = changed ? await git.commit(options.message) : session.baseSha;
    session.finish = { ...session.finish!, message: options.message, squashed: squashed ?? session.baseSha };
    store.save(session, changed ? `squashed into ${squashed}` : 'nothing to commit: the session changed no file');
  }
  await removeCreated(workflow, 'finish');
  await resumeSession(session, store, workflow.flux, resumeOrder(context.cwd), true, context.steps);
  if (options.push || options.pr) await publish(workflow, options);
  if (session.finish?.backupRef) await git.deleteRef(session.finish.backupRef);
  store.clear(`finished: ${options.message}`);
  context.ui.result([
    `Finished "${session.description}": ${session.finish?.squashed === session.baseSha ? 'no commit (nothing changed)' : `one commit on ${session.branch}: ${options.message}`}.`,
    `Flux resumed: ${session.suspended.filter((s) => s.state === 'resumed').map(objectRef).join(', ') || 'nothing was paused'}.`,
    options.push || options.pr ? '' : `Next: git push -u origin ${session.branch} (or finish with --push / --pr next time)`,
  ].filter(Boolean).join('\n'));
}

// Ends the session without its work: removes what test created (after confirmation), resumes
// what it paused, returns to the base branch; the session branch is kept.
export async function abort(options: { timeout: number }, context: TaskContext): Promise<void> {
  const workflow = openWorkflow(context, { session: 'required', timeoutSeconds: options.timeout });
  requireContext(workflow);
  const { git, store } = workflow;
  const session = workflow.session!;
  await removeCreated(workflow, 'abort');
  await resumeSession(session, store, workflow.flux, resumeOrder(context.cwd), true, context.steps);
  if ((await git.currentBranch()) === session.branch) {
    if (await git.stash(`dev-workflow: left on abort of ${session.branch}`)) context.ui.warn(`uncommitted changes were stashed: "dev-workflow: left on abort of ${session.branch}" (git stash list)`);
    await git.switchTo(session.base);
  }
  store.clear('aborted');
  context.ui.result(`Aborted "${session.description}": Flux resumed, back on ${session.base}; the work stays on branch ${session.branch}.`);
}

// Resumes what the session paused and keeps the session (to unpause now and carry on later).
export async function resume(options: { timeout: number }, context: TaskContext): Promise<void> {
  const workflow = openWorkflow(context, { session: 'required', timeoutSeconds: options.timeout });
  requireContext(workflow);
  const session = workflow.session!;
  await resumeSession(session, workflow.store, workflow.flux, resumeOrder(context.cwd), true, context.steps);
  context.ui.result(`Flux resumed for "${session.description}"; the session stays (test again, checkpoint, finish or abort).`);
}

// validate's errors stop finish; its warnings are shown.
async function checkTree(workflow: Workflow): Promise<void> {
  const { context } = workflow;
  const result = await validate({ root: context.cwd, kustomize: kustomizeWith(context.runner) });
  if (result.findings.length) context.ui.info(formatText(result, (_severity, text) => text));
  if (result.summary.errors > 0) {
    throw new TaskError(`validate found ${result.summary.errors} error${result.summary.errors === 1 ? '' : 's'}: the session is not finished`, {
      hint: 'fix the findings above, then run finish again (nothing was committed or resumed)',
    });
  }
}

// Objects test created that the tree (the paths it tested, as they are now) no longer has:
// listed, and deleted after confirmation — Flux never prunes them, they are in no inventory.
async function removeCreated(workflow: Workflow, command: string): Promise<void> {
  const { context, store, kubectl } = workflow;
  const session = workflow.session!;
  if (!session.created.length) return;
  const kept = new Set<string>();
  if (command === 'finish') {
    for (const path of session.tested) {
      if (!existsSync(join(context.cwd, path))) continue;
      const built = await buildPath(context.cwd, path, context.runner).catch(() => undefined);
      for (const doc of built?.objects ?? []) kept.add(objectKey(identityOf(doc)));
    }
  }
  const orphans: CreatedObject[] = session.created.filter((o) => !kept.has(objectKey(o)));
  if (!orphans.length) return;
  const names = orphans.map(objectRef).join(', ');
  const ok = await context.ask.confirm(`test created ${names}, which ${command === 'finish' ? 'the tree no longer has' : 'the aborted session leaves behind'}; Flux will never remove them. Delete them now?`);
  if (!ok) {
    context.ui.warn(`left in the cluster: ${names} (delete them by hand when you are done)`);
  } else {
    await deleteObjects(kubectl, orphans);
  }
  if (context.dryRun) return;
  const removed = new Set(orphans.map(objectKey));
  session.created = session.created.filter((o) => !removed.has(objectKey(o)));
  store.save(session, `${ok ? 'deleted' : 'left'} ${names}`);
}

// Kustomization ids (`namespace/name`) in dependsOn order, over every cluster of the tree.
function resumeOrder(root: string): string[] {
  try {
    return clusterModels(loadTree(root)).flatMap((model) => applyOrder(model) ?? []);
  } catch {
    return [];
  }
}

// --push and --pr: the branch pushed to origin; a pull request through gh, else the compare URL.
async function publish(workflow: Workflow, options: FinishOptions): Promise<void> {
  const { git, context, store } = workflow;
  const session = workflow.session!;
  if (!session.finish?.pushed) {
    await git.push('origin', session.branch);
    session.finish = { ...session.finish!, pushed: true };
    store.save(session, `pushed ${session.branch}`);
  }
  if (!options.pr) return;
  const url = await git.remoteUrl('origin');
  try {
    const result = await context.runner.run({
      program: 'gh', args: ['pr', 'create', '--base', session.base, '--head', session.branch, '--title', options.message.split('\n')[0], '--body', session.description],
      kind: 'write', touches: 'git', purpose: 'open a pull request',
    });
    context.ui.result(result.stdout.trim());
  } catch (error) {
    if (!(error instanceof TaskError) || !/not installed/.test(error.message)) throw error;
    context.ui.result(`gh is not installed: open the pull request at ${compareUrl(url, session.base, session.branch) ?? `your Git host, ${session.base} ← ${session.branch}`}`);
  }
}

// https://github.com/<owner>/<repo>/compare/<base>...<branch> for a GitHub remote.
export function compareUrl(remote: string | undefined, base: string, branch: string): string | undefined {
  const match = remote ? /github\.com[:/]([^/]+)\/(.+?)(\.git)?$/.exec(remote) : null;
  return match ? `https://github.com/${match[1]}/${match[2]}/compare/${base}...${branch}` : undefined;
}

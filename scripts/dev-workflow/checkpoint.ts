// dev-workflow checkpoint: everything so far committed on the session branch (never a plaintext
// Secret or an unencrypted SOPS file).
import { TaskError } from '../core/errors.ts';
import type { TaskContext } from '../task/context.ts';
import { openWorkflow } from './open.ts';
import { describeSecretProblems, secretProblems } from './secrets.ts';

// Commits the work tree as a checkpoint; returns the number of checkpoints so far.
export async function checkpoint(options: { message: string }, context: TaskContext): Promise<number> {
  const workflow = openWorkflow(context, { session: 'required' });
  const { git, store } = workflow;
  const session = workflow.session!;
  if ((await git.currentBranch()) !== session.branch) {
    throw new TaskError(`you are not on the session's branch ${session.branch}`, { hint: `git switch ${session.branch}, then checkpoint again` });
  }
  const changes = await git.status();
  if (!changes.length) {
    context.ui.result(`Nothing to checkpoint: the work tree is clean (${session.checkpoints} checkpoint${session.checkpoints === 1 ? '' : 's'} so far).`);
    return session.checkpoints;
  }
  refuseSecrets(context.cwd, changes.map((c) => c.path));
  await git.commitAll(`checkpoint: ${options.message}`);
  session.checkpoints++;
  store.save(session, `checkpoint ${session.checkpoints}: ${options.message}`);
  context.ui.result(`Checkpoint ${session.checkpoints} on ${session.branch}: ${options.message} (${changes.length} file${changes.length === 1 ? '' : 's'}).`);
  return session.checkpoints;
}

// Throws when any of `files` holds a plaintext Secret or unencrypted SOPS values.
export function refuseSecrets(root: string, files: readonly string[]): void {
  const problems = secretProblems(root, files);
  if (!problems.length) return;
  throw new TaskError('refusing to commit secrets in plain text', {
    details: describeSecretProblems(problems),
    hint: 'encrypt them with sops (sops --encrypt --in-place <file>) or remove them from the change, then run the command again',
  });
}

// The validate task's body: run the checks with kubectl through the task's runner, print the
// result in the chosen format, and fail (exit 1) when it has errors.
import { TaskError, UsageError } from '../core/errors.ts';
import type { Runner } from '../exec/runner.ts';
import type { TaskContext } from '../task/context.ts';
import type { KustomizeRunner } from './build.ts';
import type { ValidateResult } from './findings.ts';
import { formatGithub, formatJson, formatText, type Format } from './format.ts';
import { validate } from './validate.ts';
import { changedFiles, defaultBase, type Git } from './changed.ts';

// `changed`: undefined = every Kustomization; '' = changed since the default base; else since that base.
export type ValidateTaskOptions = { clusters?: string[]; format?: Format; strict?: boolean; jobs?: number; cache?: boolean; changed?: string };

// Runs validate for the task and prints the result; throws a TaskError when it fails.
export async function runValidate(options: ValidateTaskOptions, context: TaskContext): Promise<ValidateResult> {
  const changed = options.changed === undefined ? undefined : await changedSince(gitWith(context.runner, context.cwd), options.changed);
  if (changed) context.ui.info(`--changed: ${changed.files.length} file${changed.files.length === 1 ? '' : 's'} changed since ${changed.since}`);
  const result = await validate({
    root: context.cwd, clusters: options.clusters, strict: options.strict, jobs: options.jobs, cache: options.cache, changed: changed?.files, changedFlux: changed?.flux,
    kustomize: kustomizeWith(context.runner), signal: context.signal,
  });
  const format = options.format ?? 'text';
  const paint = (severity: 'error' | 'warning', text: string) => (severity === 'error' ? context.ui.paint.red(text) : context.ui.paint.yellow(text));
  context.ui.result(format === 'json' ? formatJson(result) : format === 'github' ? formatGithub(result) : formatText(result, paint));
  if (result.exitCode !== 0) {
    const { errors, warnings } = result.summary;
    throw new TaskError(errors > 0 ? `validate found ${errors} error${errors === 1 ? '' : 's'}` : `validate found ${warnings} warning${warnings === 1 ? '' : 's'} (--strict)`, {
      hint: 'fix the findings above (each names its file, line and what to do), then run `npx zx tasks/validate.ts` again',
    });
  }
  return result;
}

// git through the task's runner, in `root`.
export function gitWith(runner: Pick<Runner, 'run'>, root: string): Git {
  return async (args) => (await runner.run({ program: 'git', args, kind: 'read', touches: 'git', echo: false, cwd: root, purpose: `git ${args[0]}` })).stdout;
}

// The files changed since `base` ('' = the merge base with the default branch); a base that is no
// commit of the repository is a UsageError.
// `since` says it for people: the base as given, or the default branch and the merge base.
export async function changedSince(git: Git, base: string): Promise<{ base: string; since: string; files: string[]; flux: string[] }> {
  let resolved = base;
  let since = base;
  if (resolved !== '') {
    try {
      await git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
    } catch (error) {
      // NOTE: --quiet: a missing commit fails silently; anything git says (no repository, …) is another failure.
      const said = String((error as { stderr?: unknown; details?: unknown }).stderr ?? (error as { details?: unknown }).details ?? '').trim();
      if (/not a git repository/i.test(said)) throw notACheckout();
      if (said !== '') throw error;
      throw new UsageError(`--changed ${base}: no commit, branch or tag "${base}" in this repository; pass one that exists (e.g. --changed main, --changed HEAD~1), or --changed alone, after the clusters, for the merge base with the default branch`);
    }
  } else {
    try {
      const found = await defaultBase(git);
      resolved = found.sha;
      since = `${found.branch} (merge base ${found.sha.slice(0, 12)})`;
    } catch {
      const checkout = await git(['rev-parse', '--git-dir']).then(() => true, () => false);
      if (!checkout) throw notACheckout();
      throw new UsageError('--changed: no default branch to compare with (neither origin/HEAD, main nor master exists); name the base: --changed <commit-or-branch>, after the clusters');
    }
  }
  return { base: resolved, since, ...(await changedFiles(git, resolved)) };
}

const notACheckout = () => new UsageError('--changed compares with git, and this folder is not in a git checkout; run validate without --changed (it checks everything)');

// `kubectl kustomize` through the task's runner: logged, with kustomize's message on failure.
export function kustomizeWith(runner: Pick<Runner, 'run'>): KustomizeRunner {
  return async (dir) => {
    try {
      const result = await runner.run({
        program: 'kubectl', args: ['kustomize', dir, '--load-restrictor', 'LoadRestrictionsNone'],
        kind: 'read', touches: 'local', purpose: 'kubectl kustomize', timeoutMs: 300_000, secretOutput: true,
      });
      return { ok: true, stdout: result.stdout };
    } catch (error) {
      // A failed build is a finding (kustomize's message); a missing kubectl or a timeout is not.
      const failed = error as TaskError & { stderr?: string; timedOut?: boolean };
      const message = failed.stderr || failed.details;
      if (!(error instanceof TaskError) || failed.timedOut || /not installed|timed out/.test(error.message) || !message) throw error;
      return { ok: false, message };
    }
  };
}

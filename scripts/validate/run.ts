// The validate task's body: run the checks with kubectl through the task's runner, print the
// result in the chosen format, and fail (exit 1) when it has errors.
import { TaskError } from '../core/errors.ts';
import type { Runner } from '../exec/runner.ts';
import type { TaskContext } from '../task/context.ts';
import type { KustomizeRunner } from './build.ts';
import type { ValidateResult } from './findings.ts';
import { formatGithub, formatJson, formatText, type Format } from './format.ts';
import { validate } from './validate.ts';

export type ValidateTaskOptions = { clusters?: string[]; format?: Format; strict?: boolean; jobs?: number };

// Runs validate for the task and prints the result; throws a TaskError when it fails.
export async function runValidate(options: ValidateTaskOptions, context: TaskContext): Promise<ValidateResult> {
  const result = await validate({ root: context.cwd, clusters: options.clusters, strict: options.strict, jobs: options.jobs, kustomize: kustomizeWith(context.runner) });
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

// `kubectl kustomize` through the task's runner: logged, with kustomize's message on failure.
export function kustomizeWith(runner: Pick<Runner, 'run'>): KustomizeRunner {
  return async (dir) => {
    try {
      const result = await runner.run({
        program: 'kubectl', args: ['kustomize', dir, '--load-restrictor', 'LoadRestrictionsNone'],
        kind: 'read', touches: 'local', purpose: 'kubectl kustomize', timeoutMs: 300_000,
      });
      return { ok: true, stdout: result.stdout };
    } catch (error) {
      if (error instanceof TaskError && error.details !== undefined && /failed \(exit/.test(error.message)) return { ok: false, message: error.details };
      throw error;
    }
  };
}

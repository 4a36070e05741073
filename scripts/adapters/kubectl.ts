// kubectl, through the injected command runner. Reads always run; writes obey --dry-run.
// Every call carries --context when the task was given one, so a command never drifts to
// another cluster halfway through a run. A failure becomes a KubectlError that says what kind of
// failure it was and what to do next; an unreachable cluster is reported here, once, for all tasks.
import { CommandError, TaskError } from '../core/errors.ts';
import type { Command, CommandResult, Runner } from '../exec/runner.ts';
import { classifyKubectlError, kubectlHint, type KubectlErrorKind } from './kubectl-errors.ts';

export type ApplyOperation = 'created' | 'configured' | 'unchanged' | 'serverside-applied';

export type ApplyOptions = {
  file: string;
  namespace?: string;
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  // 'server': validated by the API server and not stored; runs even under --dry-run (a read).
  dryRun?: 'server';
};

export type KubectlCall = Omit<Command, 'program' | 'args' | 'kind'>;

// A kubectl failure, with the kind of failure read from kubectl's message.
export class KubectlError extends CommandError {
  override name = 'KubectlError';
  kubectlKind: KubectlErrorKind;
  constructor(message: string, kind: KubectlErrorKind, cause: CommandError, hint: string) {
    super(message, cause, { details: cause.details, hint, cause });
    this.kubectlKind = kind;
  }
}

export type Kubectl = ReturnType<typeof createKubectl>;

// Creates the kubectl adapter over `runner`, pinned to `context` when given.
export function createKubectl(runner: Runner, options: { context?: string; timeoutMs?: number } = {}) {
  const prefix = options.context ? ['--context', options.context] : [];

  // Runs kubectl; a failure becomes a KubectlError naming the command, its kind and the next step.
  async function kubectl(kind: 'read' | 'write', args: readonly string[], call: KubectlCall = {}): Promise<CommandResult> {
    try {
      return await runner.run({ program: 'kubectl', args: [...prefix, ...args], kind, touches: 'cluster', timeoutMs: options.timeoutMs, ...call });
    } catch (error) {
      if (!(error instanceof CommandError) || error.exitCode === 127) throw error;
      // A command that had to be stopped at its timeout got no answer in time: a server problem.
      const errorKind = error.timedOut ? 'ServerError' : classifyKubectlError(error.stderr);
      // The caller's hint is for the object (fix the file); a cluster that failed needs the cluster's.
      const clusterFailure = errorKind === 'Unreachable' || errorKind === 'ServerError' || errorKind === 'Forbidden' || errorKind === 'Unauthorized' || errorKind === 'Conflict';
      const hint = call.hint && !clusterFailure ? call.hint : kubectlHint(errorKind, error.stderr, options.context);
      const message = errorKind === 'Unreachable' ? `cannot reach the cluster of kube context ${options.context ? `"${options.context}"` : '(the current one)'}` : error.message;
      throw new KubectlError(message, errorKind, error, hint);
    }
  }

  return {
    run: kubectl,
    dryRun: runner.dryRun,

    // The object as JSON, or undefined when it does not exist.
    async getJson<T = any>(resource: string, name: string, namespace?: string, call: KubectlCall = {}): Promise<T | undefined> {
      try {
        const result = await kubectl('read', ['get', resource, name, ...ns(namespace), '-o', 'json'], call);
        return JSON.parse(result.stdout) as T;
      } catch (error) {
        if (error instanceof KubectlError && error.kubectlKind === 'NotFound') return undefined;
        throw error;
      }
    },

    // The items of a list (`kubectl get <resource> -o json`), optionally across namespaces or by label.
    async list<T = any>(resource: string, filter: { namespace?: string; allNamespaces?: boolean; selector?: string } = {}, call: KubectlCall = {}): Promise<T[]> {
      const args = ['get', resource, ...(filter.allNamespaces ? ['-A'] : ns(filter.namespace))];
      if (filter.selector) args.push('-l', filter.selector);
      const result = await kubectl('read', [...args, '-o', 'json'], call);
      return (JSON.parse(result.stdout).items ?? []) as T[];
    },

    // kubectl apply; returns the operation kubectl reported for the (single) object.
    async apply(apply: ApplyOptions, call: KubectlCall = {}): Promise<{ operation: ApplyOperation; stdout: string }> {
      const args = ['apply', '-f', apply.file, ...ns(apply.namespace)];
      if (apply.serverSide) args.push('--server-side');
      if (apply.serverSide && apply.forceConflicts) args.push('--force-conflicts');
      if (apply.fieldManager) args.push(`--field-manager=${apply.fieldManager}`);
      if (apply.dryRun) args.push('--dry-run=server');
      const result = await kubectl(apply.dryRun ? 'read' : 'write', args, call);
      return { operation: result.skipped ? 'unchanged' : parseApplyOperation(result.stdout), stdout: result.stdout };
    },

    async rolloutRestart(deployment: string, namespace: string, call: KubectlCall = {}): Promise<CommandResult> {
      return kubectl('write', ['rollout', 'restart', `deployment/${deployment}`, '-n', namespace], call);
    },

    // Waits for a deployment's rollout; fails with kubectl's message after `timeout` (e.g. "120s").
    async rolloutStatus(deployment: string, namespace: string, timeout: string, call: KubectlCall = {}): Promise<CommandResult> {
      return kubectl('read', ['rollout', 'status', `deployment/${deployment}`, '-n', namespace, `--timeout=${timeout}`], {
        timeoutMs: 30_000 + parseDuration(timeout),
        ...call,
      });
    },

    async logs(target: string, namespace: string, options: { container?: string; tail?: number } = {}, call: KubectlCall = {}): Promise<string> {
      const args = ['logs', target, '-n', namespace];
      if (options.container) args.push('-c', options.container);
      if (options.tail !== undefined) args.push(`--tail=${options.tail}`);
      return (await kubectl('read', args, call)).stdout;
    },

    // The kube context every call is pinned to.
    context: options.context,
  };
}

function ns(namespace: string | undefined): string[] {
  return namespace ? ['-n', namespace] : [];
}

// Reads `configmap/x created` (or configured, unchanged, serverside-applied) from apply's output.
export function parseApplyOperation(stdout: string): ApplyOperation {
  const match = /\s(created|configured|unchanged|serverside-applied)(?: \((?:server )?dry run\))?\s*$/m.exec(stdout.trim());
  if (!match) throw new TaskError(`could not read the result of kubectl apply: ${JSON.stringify(stdout.trim())}`);
  return match[1] as ApplyOperation;
}

// Milliseconds of a kubectl duration such as 90s, 5m, 1m30s.
export function parseDuration(text: string): number {
  let total = 0;
  const re = /(\d+)(ms|s|m|h)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text))) total += Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return total;
}

// The kube context a run uses, resolved once at its start: `requested` (--context) when it exists,
// else the current context then; undefined when kubectl has none. A context that does not exist is
// refused with the names of those that do.
export async function resolveKubeContext(runner: Runner, requested?: string): Promise<string | undefined> {
  // `current-context` exits 1 when none is set: an answer, not a failure.
  const read = async (args: string[]) => {
    const result = await runner.run({ program: 'kubectl', args: ['config', ...args], kind: 'read', okExitCodes: [1] });
    return result.exitCode === 0 ? result.stdout : '';
  };
  const [listed, current] = await Promise.all([read(['get-contexts', '-o', 'name']), requested === undefined ? read(['current-context']) : '']);
  const contexts = listed.split('\n').map((line) => line.trim()).filter(Boolean);
  const name = requested ?? (current.trim() || undefined);
  if (name === undefined || contexts.includes(name)) return name;
  throw new TaskError(`kube context "${name}" does not exist${requested ? '' : ' (it is the current context of your kubeconfig)'}`, {
    details: contexts.length ? `contexts that exist: ${contexts.join(', ')}` : 'your kubeconfig has no contexts',
    hint: contexts.length ? `pass --context with one of them: --context ${contexts[0]}` : 'configure a context (e.g. your cloud CLI\'s get-credentials), then run the task again',
  });
}

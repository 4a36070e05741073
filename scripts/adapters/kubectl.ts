// kubectl, through the injected command runner. Reads always run; writes obey --dry-run.
// Every call carries --context when the task was given one, so a command never drifts to
// another cluster halfway through a run.
import { TaskError } from '../core/errors.ts';
import type { Command, CommandResult, Runner } from '../exec/runner.ts';
import { formatCommand } from '../exec/format-command.ts';
import { classifyKubectlError, type KubectlErrorKind } from './kubectl-errors.ts';

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

// A kubectl failure, with the API's reason when kubectl printed one.
export class KubectlError extends TaskError {
  kubectlKind: KubectlErrorKind;
  constructor(message: string, kind: KubectlErrorKind, options: ConstructorParameters<typeof TaskError>[1]) {
    super(message, options);
    this.kubectlKind = kind;
  }
}

export type Kubectl = ReturnType<typeof createKubectl>;

// Creates the kubectl adapter over `runner`, pinned to `context` when given.
export function createKubectl(runner: Runner, options: { context?: string; timeoutMs?: number } = {}) {
  const prefix = options.context ? ['--context', options.context] : [];

  // Runs kubectl; a non-zero exit becomes a KubectlError naming the command and API reason.
  async function kubectl(kind: 'read' | 'write', args: readonly string[], call: KubectlCall = {}): Promise<CommandResult> {
    const result = await runner.run({
      program: 'kubectl',
      args: [...prefix, ...args],
      kind,
      touches: 'cluster',
      timeoutMs: options.timeoutMs,
      ...call,
      okExitCodes: [...(call.okExitCodes ?? []), 1],
    });
    if (result.exitCode === 0 || result.skipped || (call.okExitCodes ?? []).includes(result.exitCode)) return result;
    const errorKind = classifyKubectlError(result.stderr);
    const display = formatCommand('kubectl', [...prefix, ...args]);
    throw new KubectlError(`${call.purpose ?? `kubectl ${args[0]}`} failed (exit ${result.exitCode})`, errorKind, {
      command: runner.masker.mask(display),
      details: runner.masker.mask(result.stderr.trim()),
      hint: call.hint ?? defaultHint(errorKind),
    });
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

    // The kube context kubectl would use (the --context one, else the current one), or undefined.
    async currentContext(): Promise<string | undefined> {
      if (options.context) return options.context;
      const result = await runner.run({ program: 'kubectl', args: ['config', 'current-context'], kind: 'read', okExitCodes: [1] });
      return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
    },
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

function defaultHint(kind: KubectlErrorKind): string | undefined {
  switch (kind) {
    case 'Unreachable':
      return 'the cluster cannot be reached: check `kubectl config current-context`, your VPN and credentials, then run the task again';
    case 'NoContext':
      return 'no kube context is configured: pass --context <name> or run `kubectl config use-context <name>`';
    case 'Unauthorized':
    case 'Forbidden':
      return 'your credentials are not allowed to do this: check `kubectl auth can-i` for the verb and resource';
    case 'UnknownKind':
      return 'the cluster does not know this kind: are the CRDs (e.g. Flux) installed?';
    default:
      return undefined;
  }
}

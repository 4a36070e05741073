// The one command runner every adapter uses (built on zx `$`). It echoes commands that touch a
// cluster or git, skips writes under --dry-run (printing `would run: …`), enforces a timeout,
// masks secrets, logs every command to the run log, and turns failures into TaskErrors that carry
// the exact command and the next step.
import { $ } from 'zx';
import { InterruptedError, TaskError } from '../core/errors.ts';
import { formatCommand } from './format-command.ts';
import type { Masker } from './mask.ts';
import type { RunLog } from './run-log.ts';
import type { Ui } from '../ui/terminal.ts';

export type Command = {
  program: string;
  args: readonly string[];
  // 'write' commands change something (a cluster, git, a file) and obey --dry-run.
  kind: 'read' | 'write';
  // Commands that touch a cluster or git are echoed before they run.
  touches?: 'cluster' | 'git' | 'local';
  // false: do not echo (a repeated poll); the first call of a poll loop is echoed.
  echo?: boolean;
  // The flux CLI command this kubectl call stands for, echoed beside it.
  equivalent?: string;
  // What the command does, for error messages: "apply the ConfigMap".
  purpose?: string;
  // The next step when it fails.
  hint?: string;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  // Exit codes that are answers, not failures (kubectl diff exits 1 on differences).
  okExitCodes?: readonly number[];
};

export type CommandResult = {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
  skipped: boolean;
};

export type Runner = {
  dryRun: boolean;
  masker: Masker;
  run(command: Command): Promise<CommandResult>;
};

export type RunnerOptions = {
  ui: Ui;
  log: RunLog;
  masker: Masker;
  dryRun: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  defaultTimeoutMs?: number;
};

const INSTALL_HINTS: Record<string, string> = {
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/ (or `brew install kubectl`)',
  flux: 'install the flux CLI: `brew install fluxcd/tap/flux` or https://fluxcd.io/flux/installation/#install-the-flux-cli',
  git: 'install git: `apt-get install git` or `brew install git`',
};

// Creates the runner for one task run.
export function createRunner(options: RunnerOptions): Runner {
  const { ui, log, masker, dryRun } = options;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;

  async function run(command: Command): Promise<CommandResult> {
    const display = formatCommand(command.program, command.args);
    if (command.kind === 'write' && dryRun) {
      ui.wouldRun(display + (command.equivalent ? `   # ${command.equivalent}` : ''));
      log.append({ command: display, exitCode: null, durationMs: 0, status: 'dry-run' });
      return { stdout: '', stderr: '', exitCode: 0, durationMs: 0, skipped: true };
    }
    if ((command.touches === 'cluster' || command.touches === 'git') && command.echo !== false) ui.command(display, command.equivalent);
    if (options.signal?.aborted) throw new InterruptedError(`interrupted before: ${masker.mask(display)}`);
    const timeoutMs = command.timeoutMs ?? defaultTimeoutMs;
    const started = Date.now();
    const output = await $({
      cwd: command.cwd ?? options.cwd,
      env: { ...options.env, ...command.env } as NodeJS.ProcessEnv,
      input: command.input,
      timeout: timeoutMs,
      signal: options.signal,
      nothrow: true,
      quiet: true,
      verbose: false,
    })`${command.program} ${command.args}`;
    const durationMs = Date.now() - started;
    const result = { stdout: output.stdout, stderr: output.stderr, exitCode: output.exitCode ?? -1, durationMs, skipped: false };
    ui.output(result.stdout);
    ui.output(result.stderr);
    if (options.signal?.aborted) {
      log.append({ command: display, exitCode: output.exitCode, durationMs, status: 'interrupted' });
      throw new InterruptedError(`interrupted while running: ${masker.mask(display)}`);
    }
    if (output.exitCode === null) {
      log.append({ command: display, exitCode: null, durationMs, status: 'timeout' });
      throw new TaskError(`${command.purpose ?? command.program} timed out after ${Math.round(timeoutMs / 1000)}s`, {
        command: masker.mask(display),
        hint: command.hint ?? 'check that the cluster is reachable, then run the task again',
      });
    }
    const ok = result.exitCode === 0 || (command.okExitCodes ?? []).includes(result.exitCode);
    log.append({ command: display, exitCode: result.exitCode, durationMs, status: ok ? 'ok' : 'failed' });
    if (ok) return result;
    if (result.exitCode === 127 && /command not found|not found/.test(result.stderr)) {
      throw new TaskError(`${command.program} is not installed (not found on PATH)`, {
        command: masker.mask(display),
        hint: INSTALL_HINTS[command.program] ?? `install ${command.program} and make sure it is on PATH`,
      });
    }
    throw new TaskError(`${command.purpose ?? command.program} failed (exit ${result.exitCode})`, {
      command: masker.mask(display),
      details: masker.mask(result.stderr.trim() || result.stdout.trim()),
      hint: command.hint,
    });
  }

  return { dryRun, masker, run };
}

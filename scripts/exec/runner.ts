// The one command runner every adapter uses (built on zx `$`). It echoes commands that touch a
// cluster or git, skips writes under --dry-run (printing `would run: …`), enforces a timeout,
// masks secrets, logs every command to the run log, ends the running command (and its children)
// on Ctrl-C, and turns every failure into one CommandError carrying the command and its output.
import { $ } from 'zx';
import { CommandError, InterruptedError } from '../core/errors.ts';
import type { Masker } from '../core/mask.ts';
import { formatCommand } from './format-command.ts';
import type { RunLog } from './run-log.ts';

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
  // Exit codes that are answers, not failures (`kubectl diff` exits 1 when there are differences).
  okExitCodes?: readonly number[];
  // Its standard output may hold Secret values (built manifests): --verbose shows only its size.
  secretOutput?: boolean;
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

// What the runner shows on the terminal; the Ui provides it.
export type Echo = {
  // The exact command about to run, with its flux CLI equivalent.
  command(display: string, equivalent?: string): void;
  // A write that --dry-run skipped.
  wouldRun(display: string): void;
  // A command's own output (shown with --verbose).
  output(text: string): void;
};

export type RunnerOptions = {
  echo: Echo;
  log: RunLog;
  masker: Masker;
  dryRun: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  // The signal that ends running commands; read at every command, so the task runner can hand
  // commands that undo a failed run a fresh one after Ctrl-C.
  signal?: () => AbortSignal | undefined;
  defaultTimeoutMs?: number;
};

const INSTALL_HINTS: Record<string, string> = {
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/ (or `brew install kubectl`)',
  flux: 'install the flux CLI: `brew install fluxcd/tap/flux` or https://fluxcd.io/flux/installation/#install-the-flux-cli',
  git: 'install git: `apt-get install git` or `brew install git`',
  gh: 'install the GitHub CLI: https://cli.github.com/',
};

// After SIGTERM, how long a command may take to exit before it gets SIGKILL.
const KILL_GRACE_MS = 3000;

// NOTE: the commands running in this process, to end if it exits meanwhile (a second Ctrl-C): one
// exit listener for every runner, installed with the first command.
let commands: Set<() => void> | undefined;
function runningCommands(): Set<() => void> {
  if (!commands) {
    const all = new Set<() => void>();
    process.once('exit', () => all.forEach((killNow) => killNow()));
    commands = all;
  }
  return commands;
}

// Creates the runner for one task run.
export function createRunner(options: RunnerOptions): Runner {
  const { echo, log, masker, dryRun } = options;
  const running = runningCommands();
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;

  async function run(command: Command): Promise<CommandResult> {
    const display = formatCommand(command.program, command.args);
    const signal = options.signal?.();
    if (command.kind === 'write' && dryRun) {
      echo.wouldRun(display + (command.equivalent ? `   # ${command.equivalent}` : ''));
      log.append({ command: display, exitCode: null, durationMs: 0, status: 'dry-run' });
      return { stdout: '', stderr: '', exitCode: 0, durationMs: 0, skipped: true };
    }
    if (signal?.aborted) throw new InterruptedError(`stopped before: ${masker.mask(display)}`);
    if ((command.touches === 'cluster' || command.touches === 'git') && command.echo !== false) echo.command(display, command.equivalent);
    const timeoutMs = command.timeoutMs ?? defaultTimeoutMs;
    const started = Date.now();
    // NOTE: detached puts the command in its own process group: a Ctrl-C at the terminal reaches
    // only the task, which ends the command and its children itself (the shell's child too).
    // NOTE: zx runs the command through bash. A bash without SHLVL whose stdin is a socket takes
    // itself for a remote shell and sources ~/.bashrc (slow, and noisy with version managers), so
    // stdin is closed unless there is input, and SHLVL is set.
    const child = $({
      cwd: command.cwd ?? options.cwd,
      env: { SHLVL: '1', ...options.env, ...command.env } as NodeJS.ProcessEnv,
      input: command.input,
      ...(command.input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] as const } : {}),
      detached: true,
      nothrow: true,
      quiet: true,
      verbose: false,
    })`${command.program} ${command.args}`;
    let timedOut = false;
    let settled = false;
    // The command leads its own process group: signalling the group ends the shell and
    // everything it started, synchronously (the task may exit right after a second Ctrl-C).
    const kill = (name: NodeJS.Signals) => {
      if (settled || child.pid === undefined) return;
      try {
        process.kill(-child.pid, name);
      } catch {
        // Already gone.
      }
    };
    const end = () => {
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      end();
    }, timeoutMs);
    signal?.addEventListener('abort', end, { once: true });
    // A run that exits while the command still runs (a second Ctrl-C) takes it along.
    const killOnExit = () => kill('SIGKILL');
    running.add(killOnExit);
    const output = await child;
    settled = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', end);
    running.delete(killOnExit);
    const durationMs = Date.now() - started;
    echo.output(command.secretOutput && output.stdout !== '' ? `(${output.stdout.length} characters of output not shown: it may hold Secret values)\n` : output.stdout);
    echo.output(output.stderr);
    if (signal?.aborted) {
      log.append({ command: display, exitCode: output.exitCode, durationMs, status: 'interrupted' });
      throw new InterruptedError(`stopped while running: ${masker.mask(display)}`);
    }
    const failure = { command: masker.mask(display), exitCode: output.exitCode, stdout: output.stdout, stderr: output.stderr, durationMs, timedOut };
    const what = command.purpose ?? command.program;
    if (timedOut) {
      log.append({ command: display, exitCode: null, durationMs, status: 'timeout' });
      throw new CommandError(`${what} timed out after ${Math.round(timeoutMs / 1000)}s`, failure, {
        hint: command.hint ?? 'check that the cluster (or the service it talks to) is reachable, then run the task again',
      });
    }
    if (output.exitCode === null && output.signal === null) {
      // It never ran: zx could not start bash (which runs every command), or the spawn failed.
      const cause = output.cause;
      log.append({ command: display, exitCode: null, durationMs, status: 'failed' });
      throw new CommandError(`${what} could not start${cause ? `: ${cause.message}` : ''}`, failure, {
        hint: `commands run through bash: make sure bash and ${command.program} are installed and on PATH (PATH is ${process.env.PATH ?? 'unset'})`,
      });
    }
    const exitCode = output.exitCode ?? -1;
    const ok = exitCode === 0 || (command.okExitCodes ?? []).includes(exitCode);
    log.append({ command: display, exitCode, durationMs, status: ok ? 'ok' : 'failed' });
    if (ok) return { stdout: output.stdout, stderr: output.stderr, exitCode, durationMs, skipped: false };
    if (exitCode === 127 && /command not found|not found/.test(output.stderr)) {
      throw new CommandError(`${command.program} is not installed (not found on PATH)`, failure, {
        hint: INSTALL_HINTS[command.program] ?? `install ${command.program} and make sure it is on PATH`,
      });
    }
    throw new CommandError(`${what} failed (exit ${exitCode})`, failure, {
      details: masker.mask(failure.stderr.trim() || failure.stdout.trim()),
      hint: command.hint,
    });
  }

  return { dryRun, masker, run };
}

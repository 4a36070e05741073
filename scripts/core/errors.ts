// The kinds of failure a task can end with, and their exit codes. Only the shared task runner
// (scripts/task/run-task.ts) catches them; everything else throws.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

// Bad input from the user: the usage is printed with the problem, exit 2.
export class UsageError extends Error {
  override name = 'UsageError';
}

export type TaskErrorOptions = { hint?: string; command?: string; details?: string; cause?: unknown };

// An expected failure: what failed, optionally the exact command, and the next step. Exit 1, no stack.
export class TaskError extends Error {
  override name = 'TaskError';
  hint: string | undefined;
  command: string | undefined;
  details: string | undefined;
  constructor(message: string, options: TaskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.command = options.command;
    this.details = options.details;
  }
}

export type CommandFailure = {
  // The command as echoed (masked), ready to copy.
  command: string;
  // null when it did not exit by itself (timeout).
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
};

// A command that failed: the one error the runner throws (execa's ExecaError is the model).
// Adapters catch it and throw a subclass or a TaskError that says what it means.
export class CommandError extends TaskError {
  override name = 'CommandError';
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  declare command: string;
  constructor(message: string, failure: CommandFailure, options: Omit<TaskErrorOptions, 'command'> = {}) {
    super(message, { ...options, command: failure.command });
    this.exitCode = failure.exitCode;
    this.stdout = failure.stdout;
    this.stderr = failure.stderr;
    this.durationMs = failure.durationMs;
    this.timedOut = failure.timedOut;
  }

  // What the command printed about its failure (stderr, else stdout), trimmed.
  get output(): string {
    return (this.stderr.trim() || this.stdout.trim());
  }
}

// The user pressed Ctrl-C or declined to go on; exit 130.
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

// The exit code for anything thrown out of a task.
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (error instanceof InterruptedError) return EXIT_INTERRUPTED;
  return EXIT_FAILURE;
}

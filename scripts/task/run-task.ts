// The shared task runner: parses and validates arguments, prints help, builds the context, runs
// the task, and is the one place that catches errors and decides the exit code.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodeFor, InterruptedError, TaskError, UsageError, EXIT_OK } from '../core/errors.ts';
import type { TaskDefinition } from './define.ts';
import { helpText, usageLine } from './describe.ts';
import { allOptions, parseArgs, type RawArguments } from './parse-args.ts';
import type { TaskIo } from './context.ts';

// Runs a task with argv and returns its exit code; never throws.
export async function runTask(task: TaskDefinition<any, any>, argv: readonly string[], io: TaskIo): Promise<number> {
  const write = (text: string) => io.stderr.write(text.endsWith('\n') ? text : text + '\n');
  let log: { path: string; written(): boolean } | undefined;
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const raw = parseArgs(task, argv);
    if (raw.values.help) {
      io.stdout.write(helpText(task));
      return EXIT_OK;
    }
    // Loaded here, not at the top: --help needs none of these. They load side by side, the
    // task's own implementation too (task.load), since each module load waits on the TS loader.
    const contextModule = import('./context.ts');
    const implementation = task.load?.();
    implementation?.catch(() => undefined);
    const options = (needsSchemaCheck(task, raw) ? (await import('./validate.ts')).validateArgs(task, raw) : withDefaults(task, raw)) as Record<string, any>;
    const { createContext } = await contextModule;
    await implementation;
    const context = createContext(task.name, options as never, io, controller.signal);
    log = context.log;
    const interrupted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new InterruptedError('interrupted (Ctrl-C)')), { once: true }),
    );
    await Promise.race([task.run(options as never, context), interrupted]);
    return EXIT_OK;
  } catch (error) {
    write(formatError(task, error, log?.written() ? log.path : undefined));
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

// Whether ajv has anything to check: a value for a string or integer option, a positional
// argument, or a required argument. Flags alone are already booleans after parsing, so runs like
// `tasks/index.ts --json` skip loading ajv (about 100 ms) and only get their defaults.
export function needsSchemaCheck(task: TaskDefinition<any, any>, raw: RawArguments): boolean {
  const options = allOptions(task);
  if (raw.positionals.length > 0) return true;
  if ((task.arguments ?? []).some((a: { required?: boolean }) => a.required)) return true;
  return Object.keys(raw.values).some((key) => options[key]?.type !== 'boolean');
}

// The options object from flags only: given booleans plus every declared default.
export function withDefaults(task: TaskDefinition<any, any>, raw: RawArguments): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(allOptions(task))) {
    if (key in raw.values) options[key] = raw.values[key];
    else if (spec.default !== undefined) options[key] = spec.default;
    else if (spec.type === 'boolean') options[key] = false;
  }
  return options;
}

// The text printed for an error: usage problems with the usage line, expected failures with the
// command and next step (no stack), anything else as a bug with its stack.
export function formatError(task: TaskDefinition<any, any>, error: unknown, logPath?: string): string {
  if (error instanceof UsageError) {
    return `error: ${error.message}\n\nUsage: ${usageLine(task)}\nRun with --help for all options.`;
  }
  const logLine = logPath ? [`  run log: ${logPath}`] : [];
  if (error instanceof TaskError) {
    const lines = [`✗ ${error.message}`];
    if (error.command) lines.push(`  command: ${error.command}`);
    if (error.details) lines.push(...error.details.split('\n').map((l) => `  │ ${l}`));
    if (error.hint) lines.push(`  next: ${error.hint}`);
    return [...lines, ...logLine].join('\n');
  }
  if (error instanceof InterruptedError) {
    return [`✗ ${error.message}`, ...logLine].join('\n');
  }
  const stack = error instanceof Error ? error.stack ?? error.message : String(error);
  return [`✗ internal error in ${task.name} (this is a bug; please report it):`, stack, ...logLine].join('\n');
}

// The arguments after the script path when `moduleUrl` is the script being run (by `zx`, `node`
// or `tsx`), or undefined when it was imported.
export function scriptArguments(moduleUrl: string, argv: readonly string[] = process.argv): string[] | undefined {
  const modulePath = realpathSync(fileURLToPath(moduleUrl));
  for (let i = 1; i < Math.min(argv.length, 3); i++) {
    try {
      if (realpathSync(resolve(argv[i])) === modulePath) return argv.slice(i + 1);
    } catch {
      // not a file path (a flag of node or zx): keep looking
    }
  }
  return undefined;
}

// Runs `task` when its module is the script being executed; the exit code goes to process.exitCode.
export async function runIfMain(task: TaskDefinition<any, any>, moduleUrl: string): Promise<void> {
  const argv = scriptArguments(moduleUrl);
  if (!argv) return;
  process.exitCode = await runTask(task, argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.env.GITOPS_ROOT ? resolve(process.env.GITOPS_ROOT) : repoRoot(moduleUrl),
    invocationDir: process.cwd(),
  });
}

// The repository a task file belongs to: the parent of its tasks/ folder.
export function repoRoot(moduleUrl: string): string {
  return resolve(fileURLToPath(moduleUrl), '..', '..');
}

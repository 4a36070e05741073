// The shared task runner: finds the command, parses and validates arguments (asking at a
// terminal for what is missing), prints help, builds the context, runs the task, and is the one
// place that catches errors, owns Ctrl-C and decides the exit code. After any failure it runs the
// task's undo steps and prints what is left to do, last.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodeFor, InterruptedError, TaskError, UsageError, EXIT_INTERRUPTED, EXIT_OK } from '../core/errors.ts';
import { createMasker } from '../core/mask.ts';
import { createUi, type Ui } from '../ui/terminal.ts';
import { runnableOf, type AnyRunnable, type AnyTask, type ArgumentSpec } from './define.ts';
import { commandsHelpText, helpText, usageLine } from './describe.ts';
import { allOptions, parseArgs, splitCommand, unknownCommand, type RawArguments } from './parse-args.ts';
import type { TaskContext, TaskIo } from './context.ts';
import { createRecovery } from './recovery.ts';

// How long a task may take to unwind after Ctrl-C before the run stops without it
// (GITOPS_UNWIND_SECONDS overrides it, for tests of that limit).
export const UNWIND_MS = 15_000;

export type TaskOutcome = {
  code: number;
  // The task's work was left running (a second Ctrl-C, or it did not unwind in time): the
  // process must exit now rather than wait for it.
  abandoned: boolean;
};

// Runs a task with argv and returns its exit code; never throws.
export async function runTask(task: AnyTask, argv: readonly string[], io: TaskIo): Promise<number> {
  return (await startTask(task, argv, io)).code;
}

// Runs a task with argv, owning Ctrl-C for the run (or following io.signal); never throws.
export async function startTask(task: AnyTask, argv: readonly string[], io: TaskIo): Promise<TaskOutcome> {
  const masker = createMasker(io.env);
  const recovery = createRecovery();
  const controller = new AbortController();
  let commandSignal = controller.signal;
  let ui: Ui = createUi({ stdout: io.stdout, stderr: io.stderr, env: io.env, quiet: false, verbose: false, masker });
  let shown: AnyTask | AnyRunnable = task;
  let context: TaskContext | undefined;
  let finished = false;
  let stopNow: (reason: string) => void = () => undefined;
  const stopped = new Promise<TaskOutcome>((resolveStop) => {
    stopNow = (reason) => {
      if (finished) return;
      finished = true;
      ui.error(`✗ interrupted (${reason}): stopped without waiting for the task to finish`);
      report();
      resolveStop({ code: EXIT_INTERRUPTED, abandoned: true });
    };
  });
  const unwindMs = Number(io.env.GITOPS_UNWIND_SECONDS) > 0 ? Number(io.env.GITOPS_UNWIND_SECONDS) * 1000 : UNWIND_MS;
  let unwindTimer: NodeJS.Timeout | undefined;
  let undoController: AbortController | undefined;
  let presses = 0;
  const onInterrupt = () => {
    presses++;
    if (presses > 1) {
      undoController?.abort();
      return stopNow('Ctrl-C twice');
    }
    controller.abort();
    if (context) ui.warn('Ctrl-C: ending the running command and letting the task clean up (Ctrl-C again to stop at once)');
    unwindTimer = setTimeout(() => {
      undoController?.abort();
      stopNow(`Ctrl-C, and the task did not stop within ${unwindMs / 1000}s`);
    }, unwindMs);
    unwindTimer.unref();
  };
  // The log line and the recovery lines: what is known, always last.
  const report = () => {
    const lines = recovery.openLines();
    if (context?.log.written()) ui.error(`  run log: ${context.log.path}`);
    if (!lines.length) return;
    ui.error(['What is left to do:', ...lines.map((line) => `  • ${line}`)].join('\n'));
    for (const line of lines) context?.log.note(`left to do: ${line}`);
  };

  const work = async (): Promise<TaskOutcome> => {
    try {
      const chosen = await chooseRunnable(task, argv, io, ui);
      if ('help' in chosen) {
        ui.result(chosen.help);
        return { code: EXIT_OK, abandoned: false };
      }
      const { runnable, argv: rest } = chosen;
      shown = runnable;
      const raw = parseArgs(runnable, rest);
      if (raw.values.help) {
        ui.result(helpText(runnable));
        return { code: EXIT_OK, abandoned: false };
      }
      // Loaded here, not at the top: --help needs none of these. They load side by side, the
      // task's implementation too (load), since each module load waits on the TypeScript loader.
      const contextModule = import('./context.ts');
      const implementation = runnable.load?.();
      implementation?.catch(() => undefined);
      const { lazyAsker } = await contextModule;
      await askMissingArguments(runnable, raw, lazyAsker(io, false), io.cwd);
      const options = (needsSchemaCheck(runnable, raw) ? (await import('./validate.ts')).validateArgs(runnable, raw) : withDefaults(runnable, raw)) as Record<string, any>;
      const { createContext } = await contextModule;
      const module = await implementation;
      // (a read-only task has no --dry-run or --yes: they are false)
      context = createContext(runnable.name, { dryRun: false, yes: false, ...options } as never, io, {
        masker,
        recovery,
        signal: controller.signal,
        commandSignal: () => commandSignal,
        asker: lazyAsker(io, options.yes === true),
      });
      ui = context.ui;
      for (const warning of masker.warnings) ui.warn(warning);
      if (runnable.cluster && (runnable.needsCluster?.(options as never) ?? true)) {
        const { resolveKubeContext } = await import('../adapters/kubectl.ts');
        context.kubeContext = await resolveKubeContext(context.runner, options.context);
      }
      const result = await runnable.run(options as never, context, module);
      return { code: typeof result === 'number' ? result : EXIT_OK, abandoned: false };
    } catch (error) {
      if (finished) return { code: EXIT_INTERRUPTED, abandoned: true };
      const interrupted = controller.signal.aborted;
      ui.error(formatError(shown, error, interrupted));
      if (context?.log.written()) context.log.note(`failed: ${error instanceof Error ? error.message : String(error)}`);
      await undo();
      if (finished) return { code: EXIT_INTERRUPTED, abandoned: true };
      finished = true;
      report();
      return { code: interrupted ? EXIT_INTERRUPTED : exitCodeFor(error), abandoned: false };
    }
  };

  // Runs the registered undo steps, latest first, with a fresh signal: the Ctrl-C that stopped
  // the task must not stop its undo (a second one does). Each is a "not undone" line until it worked.
  const undo = async () => {
    const steps = recovery.pendingUndo();
    if (!steps.length || !context) return;
    undoController = new AbortController();
    commandSignal = undoController.signal;
    const open = steps.map((step) => recovery.recover(`not undone: ${step.title}`));
    for (const [i, step] of steps.entries()) {
      if (finished) return;
      try {
        await step.undo();
        open[i].done();
        ui.success(`undone: ${step.title}`);
        context.log.note(`undone: ${step.title}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ui.warn(`could not undo: ${step.title}: ${message}`);
        context.log.note(`undo failed: ${step.title}: ${message}`);
      }
    }
  };

  const outer = io.signal;
  const onOuterAbort = () => controller.abort();
  if (outer) outer.addEventListener('abort', onOuterAbort, { once: true });
  else process.on('SIGINT', onInterrupt);
  try {
    const outcome = await Promise.race([work(), stopped]);
    finished = true;
    return outcome;
  } finally {
    clearTimeout(unwindTimer);
    if (outer) outer.removeEventListener('abort', onOuterAbort);
    else process.off('SIGINT', onInterrupt);
  }
}

// The task itself, or the command of a task with commands: from argv, else asked for at a terminal.
async function chooseRunnable(task: AnyTask, argv: readonly string[], io: TaskIo, ui: Ui): Promise<{ runnable: AnyRunnable; argv: string[] } | { help: string }> {
  if (!task.commands) return { runnable: task, argv: [...argv] };
  let { command, rest } = splitCommand(task, argv);
  if (command === undefined) {
    if (rest.includes('--help') || rest.includes('-h')) return { help: commandsHelpText(task) };
    const { lazyAsker } = await import('./context.ts');
    const asker = lazyAsker(io, false);
    if (!asker.interactive) throw new UsageError(`missing command: one of ${Object.keys(task.commands).join(', ')}`);
    const prelude = await task.prelude?.(io.cwd);
    if (prelude) ui.info(prelude);
    command = await asker.select(
      `${task.name}: which command?`,
      Object.entries(task.commands).map(([name, c]) => ({ title: name, value: name, description: c.summary })),
      '<command>',
    );
  }
  const runnable = runnableOf(task, command);
  if (!runnable) throw unknownCommand(task, command);
  return { runnable, argv: rest };
}

// At a terminal, asks for each missing required argument: a select when its values are known
// (choices, or the task's suggestions), text otherwise. Without one, validation names what is missing.
export async function askMissingArguments(runnable: AnyRunnable, raw: RawArguments, asker: import('../ui/prompt.ts').Asker, root: string): Promise<void> {
  if (!asker.interactive) return;
  const args = (runnable.arguments ?? []) as readonly ArgumentSpec[];
  for (let i = raw.positionals.length; i < args.length; i++) {
    const arg = args[i];
    if (!arg.required) break;
    const message = `${arg.description}?`;
    const label = `<${arg.name}>`;
    const known = arg.choices ? arg.choices.map((value) => ({ title: value, value })) : await arg.suggest?.(root);
    raw.positionals.push(known?.length ? await asker.select(message, known, label) : await asker.text(message, label, arg.check));
  }
}

// Whether ajv has anything to check: a value for a string or integer option, a positional
// argument, or a required argument. Flags alone are already booleans after parsing, so runs like
// `tasks/index.ts --json` skip loading ajv and only get their defaults.
export function needsSchemaCheck(task: AnyRunnable, raw: RawArguments): boolean {
  const options = allOptions(task);
  if (raw.positionals.length > 0) return true;
  if ((task.arguments ?? []).some((a: { required?: boolean; variadic?: boolean }) => a.required || a.variadic)) return true;
  return Object.keys(raw.values).some((key) => options[key]?.type !== 'boolean');
}

// The options object from flags only: given booleans plus every declared default.
export function withDefaults(task: AnyRunnable, raw: RawArguments): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(allOptions(task))) {
    if (key in raw.values) options[key] = raw.values[key];
    else if (spec.default !== undefined) options[key] = spec.default;
    else if (spec.type === 'boolean') options[key] = false;
    else if (spec.type === 'string' && spec.multiple) options[key] = [];
  }
  return options;
}

// The text printed for an error: usage problems with the usage line, expected failures with the
// command and next step (no stack), anything else as a bug with its stack.
export function formatError(task: AnyTask | AnyRunnable, error: unknown, interrupted = false): string {
  if (interrupted) {
    const detail = error instanceof Error && error.message && !/^interrupted \(Ctrl-C\)$/.test(error.message) ? `: ${error.message}` : '';
    return `✗ interrupted (Ctrl-C)${detail}`;
  }
  if (error instanceof UsageError) {
    return `error: ${error.message}\n\nUsage: ${usageLine(task)}\nRun with --help for all options.`;
  }
  if (error instanceof TaskError) {
    const lines = [`✗ ${error.message}`];
    if (error.command) lines.push(`  command: ${error.command}`);
    if (error.details) lines.push(...error.details.split('\n').map((l) => `  │ ${l}`));
    lines.push(`  next: ${error.hint ?? 'read the message above, fix what it names, and run the task again (--verbose shows every command\'s output)'}`);
    return lines.join('\n');
  }
  if (error instanceof InterruptedError) return `✗ ${error.message}`;
  const stack = error instanceof Error ? error.stack ?? error.message : String(error);
  return `✗ internal error in ${task.name} (this is a bug; please report it):\n${stack}`;
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
export async function runIfMain(task: AnyTask, moduleUrl: string): Promise<void> {
  const argv = scriptArguments(moduleUrl);
  if (!argv) return;
  const outcome = await startTask(task, argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.env.GITOPS_ROOT ? resolve(process.env.GITOPS_ROOT) : repoRoot(moduleUrl),
    invocationDir: process.cwd(),
  });
  process.exitCode = outcome.code;
  // NOTE: the one forced exit: the task's work is still running after a second Ctrl-C (or did
  // not unwind in time), and what is known has been printed.
  if (outcome.abandoned) process.exit(outcome.code);
}

// The repository a task file belongs to: the parent of its tasks/ folder.
export function repoRoot(moduleUrl: string): string {
  return resolve(fileURLToPath(moduleUrl), '..', '..');
}

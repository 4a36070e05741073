// What a task's run function gets besides its options: the terminal, the command runner, file
// writes, questions, recovery lines, and the facts of this run (dry-run, cwd, env, kube context).
// Built once per run.
import type { Readable } from 'node:stream';
import { createMasker, type Masker } from '../core/mask.ts';
import { createRunLog, type RunLog } from '../exec/run-log.ts';
import type { Runner, RunnerOptions } from '../exec/runner.ts';
import { createFiles, type Files } from '../exec/files.ts';
import { createUi, isInteractive, type Stream, type Ui } from '../ui/terminal.ts';
import type { Asker } from '../ui/prompt.ts';
import type { Step } from '../ui/steps.ts';
import { createRecovery, type Handle, type Recovery } from './recovery.ts';

export type TaskIo = {
  stdout: Stream;
  stderr: Stream;
  // A terminal's input when isTTY; questions read from it.
  stdin: { isTTY?: boolean } & Partial<Readable>;
  env: Record<string, string | undefined>;
  // The repository root the task works in.
  cwd: string;
  // The directory the command was run from: paths given on the command line are relative to it.
  invocationDir?: string;
  // A run started by another run (the index) follows that run's Ctrl-C instead of its own.
  signal?: AbortSignal;
};

export type TaskContext = {
  // The repository root.
  cwd: string;
  // Where the command was run from (command-line paths resolve against it); the root when unknown.
  invocationDir: string;
  env: Record<string, string | undefined>;
  dryRun: boolean;
  yes: boolean;
  verbose: boolean;
  quiet: boolean;
  // The kube context every cluster call of this run uses: --context, else the current context
  // when the run started (resolved once, so a `kubectl config use-context` meanwhile changes
  // nothing); undefined when kubectl has none or the run needs no cluster.
  kubeContext: string | undefined;
  interactive: boolean;
  ui: Ui;
  runner: Runner;
  files: Files;
  ask: Asker;
  log: RunLog;
  // Aborted on Ctrl-C: the running command is ended, and the task should unwind.
  signal: AbortSignal;
  // The streams and facts the run was started with (to start another task from this one).
  io: TaskIo;
  steps(steps: readonly Step[]): Promise<void>;
  // What a person must know or do if the run stops now; printed after any failure, last.
  recover(text: string): Handle;
  // A step that undoes a change if the run fails (after an error or Ctrl-C).
  onFailure(title: string, undo: () => Promise<void>): Handle;
};

export type CommonFlags = { dryRun: boolean; yes: boolean; verbose: boolean; quiet: boolean; context?: string };

export type RunControl = {
  masker: Masker;
  recovery: Recovery;
  // The task's signal (aborted on Ctrl-C).
  signal: AbortSignal;
  // The signal commands follow now: the task's, then a fresh one while undo steps run.
  commandSignal: () => AbortSignal;
  asker: Asker;
};

// Builds the context for one run of `task`.
export function createContext(task: string, flags: CommonFlags, io: TaskIo, control: RunControl): TaskContext {
  const { masker } = control;
  const ui = createUi({ stdout: io.stdout, stderr: io.stderr, env: io.env, quiet: flags.quiet, verbose: flags.verbose, masker });
  const log = createRunLog(io.cwd, task, masker);
  const runner = lazyRunner({ echo: ui, log, masker, dryRun: flags.dryRun, cwd: io.cwd, env: io.env, signal: control.commandSignal });
  return {
    cwd: io.cwd,
    invocationDir: io.invocationDir ?? io.cwd,
    env: io.env,
    dryRun: flags.dryRun,
    yes: flags.yes,
    verbose: flags.verbose,
    quiet: flags.quiet,
    kubeContext: flags.context,
    interactive: control.asker.interactive,
    ui,
    runner,
    files: createFiles({ root: io.cwd, dryRun: flags.dryRun, ui, log }),
    ask: control.asker,
    log,
    signal: control.signal,
    io,
    async steps(steps) {
      // Loaded here, not at the top: most runs draw no step list.
      const { chooseRenderer, runSteps } = await import('../ui/steps.ts');
      await runSteps(ui, steps, chooseRenderer({ quiet: flags.quiet, isTTY: io.stderr.isTTY === true, env: io.env }));
    },
    recover: (text) => {
      log.note(`recovery: ${text}`);
      return control.recovery.recover(text);
    },
    onFailure: (title, undo) => control.recovery.onFailure(title, undo),
  };
}

// The runner, with zx behind it loaded on the first command: --offline runs and the index run none.
function lazyRunner(options: RunnerOptions): Runner {
  let loaded: Promise<Runner> | undefined;
  return {
    dryRun: options.dryRun,
    masker: options.masker,
    async run(command) {
      loaded ??= import('../exec/runner.ts').then(({ createRunner }) => createRunner(options));
      return (await loaded).run(command);
    },
  };
}

// The asker, with prompt.ts loaded on the first question: most runs ask none.
export function lazyAsker(io: TaskIo, yes: boolean): Asker {
  const interactive = isInteractive(io.env, io.stdin, io.stderr);
  let loaded: Promise<Asker> | undefined;
  const asker = () =>
    (loaded ??= import('../ui/prompt.ts').then(({ createAsker }) =>
      createAsker({ interactive, yes, stdin: io.stdin as Readable, stdout: io.stderr as never }),
    ));
  return {
    interactive,
    confirm: async (message) => (await asker()).confirm(message),
    select: async (message, choices, flag) => (await asker()).select(message, choices, flag),
    multiselect: async (message, choices, flag) => (await asker()).multiselect(message, choices, flag),
    text: async (message, flag, check) => (await asker()).text(message, flag, check),
    typed: async (message, expected, flag, given) => (await asker()).typed(message, expected, flag, given),
  };
}

// The run control of a run outside the task runner (a test, a script calling a task's function):
// a masker for `io.env`, an empty recovery record, and `signal` for Ctrl-C.
export function standaloneControl(io: TaskIo, options: { yes: boolean; signal?: AbortSignal }): RunControl {
  const signal = options.signal ?? new AbortController().signal;
  return { masker: createMasker(io.env), recovery: createRecovery(), signal, commandSignal: () => signal, asker: lazyAsker(io, options.yes) };
}

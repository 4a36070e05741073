// What a task's run function gets besides its options: the terminal, the command runner, file
// writes, questions, and the facts of this run (dry-run, cwd, env). Built once per run.
import { createMasker } from '../exec/mask.ts';
import { createRunLog, type RunLog } from '../exec/run-log.ts';
import type { Runner, RunnerOptions } from '../exec/runner.ts';
import { createFiles, type Files } from '../exec/files.ts';
import { createUi, isInteractive, type Stream, type Ui } from '../ui/terminal.ts';
import type { Asker } from '../ui/prompt.ts';
import type { Step } from '../ui/steps.ts';

export type TaskIo = {
  stdout: Stream;
  stderr: Stream;
  stdin: { isTTY?: boolean };
  env: Record<string, string | undefined>;
  // The repository root the task works in.
  cwd: string;
  // The directory the command was run from: paths given on the command line are relative to it.
  invocationDir?: string;
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
  // The kube context from --context, if given.
  kubeContext: string | undefined;
  interactive: boolean;
  ui: Ui;
  runner: Runner;
  files: Files;
  ask: Asker;
  log: RunLog;
  signal: AbortSignal;
  steps(steps: readonly Step[]): Promise<void>;
};

export type CommonFlags = { dryRun: boolean; yes: boolean; verbose: boolean; quiet: boolean; context?: string };

// Builds the context for one run of `task`.
export function createContext(task: string, flags: CommonFlags, io: TaskIo, signal: AbortSignal): TaskContext {
  const masker = createMasker(io.env);
  const ui = createUi({ stdout: io.stdout, stderr: io.stderr, env: io.env, quiet: flags.quiet, verbose: flags.verbose, masker });
  const log = createRunLog(io.cwd, task, masker);
  const runner = lazyRunner({ ui, log, masker, dryRun: flags.dryRun, cwd: io.cwd, env: io.env, signal });
  const interactive = isInteractive(io.env, io.stdin, io.stderr);
  return {
    cwd: io.cwd,
    invocationDir: io.invocationDir ?? io.cwd,
    env: io.env,
    dryRun: flags.dryRun,
    yes: flags.yes,
    verbose: flags.verbose,
    quiet: flags.quiet,
    kubeContext: flags.context,
    interactive,
    ui,
    runner,
    files: createFiles({ root: io.cwd, dryRun: flags.dryRun, ui, log }),
    ask: lazyAsker({ interactive, yes: flags.yes }),
    log,
    signal,
    async steps(steps) {
      // Loaded here, not at the top: most runs draw no step list.
      const { chooseRenderer, runSteps } = await import('../ui/steps.ts');
      await runSteps(ui, steps, chooseRenderer({ quiet: flags.quiet, isTTY: io.stderr.isTTY === true, env: io.env }));
    },
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
function lazyAsker(options: { interactive: boolean; yes: boolean }): Asker {
  let loaded: Promise<Asker> | undefined;
  const asker = () => (loaded ??= import('../ui/prompt.ts').then(({ createAsker }) => createAsker(options)));
  return {
    interactive: options.interactive,
    confirm: async (message) => (await asker()).confirm(message),
    select: async (message, choices, flag) => (await asker()).select(message, choices, flag),
  };
}

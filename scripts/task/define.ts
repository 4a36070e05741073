// How a task is declared: once, with its arguments, options and run function, or with commands
// (`dev-workflow start|finish|…`) each declared the same way. Everything else (help, the index,
// validation, --json, the questions asked for what is missing) is derived from the declaration.
import type { TaskContext } from './context.ts';

export type Choice = { title: string; value: string };

export type StringOption = {
  type: 'string';
  description: string;
  default?: string;
  // The values allowed; the option's type in `run` is their union.
  choices?: readonly string[];
  placeholder?: string;
  // The flag may be given several times (`--kustomization a --kustomization b`): a list in `run`.
  multiple?: boolean;
  // The value when the flag is given without one (`--changed` alone means `--changed=''`).
  valueWhenBare?: string;
};
export type BooleanOption = { type: 'boolean'; description: string; default?: boolean };
export type IntegerOption = {
  type: 'integer';
  description: string;
  default?: number;
  minimum?: number;
  placeholder?: string;
};
export type OptionSpec = StringOption | BooleanOption | IntegerOption;

export type ArgumentSpec = {
  name: string;
  description: string;
  required?: boolean;
  // The values allowed; the argument's type in `run` is their union.
  choices?: readonly string[];
  // The last argument may take several values (`[cluster…]`): a string array in `run`.
  variadic?: boolean;
  // The values to offer when the argument is asked for at a terminal (clusters, tasks, …).
  suggest?: (root: string) => Promise<readonly Choice[]>;
  // Checks a typed answer: an error message, or undefined when it is fine.
  check?: (value: string) => string | undefined;
};

type ChoiceOf<S> = S extends { choices: readonly (infer C extends string)[] } ? C : string;

type OptionValue<S> = S extends BooleanOption
  ? boolean
  : S extends IntegerOption
    ? S extends { default: number } ? number : number | undefined
    : S extends { multiple: true } ? ChoiceOf<S>[] : S extends { default: string } ? ChoiceOf<S> : ChoiceOf<S> | undefined;

type ArgumentValue<A> = A extends { variadic: true } ? ChoiceOf<A>[] : A extends { required: true } ? ChoiceOf<A> : ChoiceOf<A> | undefined;

type ArgumentValues<A extends readonly ArgumentSpec[]> = {
  [I in keyof A as A[I] extends { name: infer N extends string } ? N : never]: ArgumentValue<A[I]>;
};

// The typed options object a run function receives: positional arguments and options by name.
export type TaskOptions<A extends readonly ArgumentSpec[], O extends Record<string, OptionSpec>> = ArgumentValues<A> & {
  [K in keyof O]: OptionValue<O[K]>;
};

// What can be run: a task without commands, or one command of a task.
export type Runnable<
  A extends readonly ArgumentSpec[] = readonly ArgumentSpec[],
  O extends Record<string, OptionSpec> = Record<string, OptionSpec>,
  M = unknown,
> = {
  // The task's name (tasks/<name>.ts).
  name: string;
  // The command's name, for a command of a task.
  command?: string;
  summary: string;
  // Longer help shown under the usage line by --help.
  description?: string;
  // Example invocations shown by --help (after `npx zx tasks/<name>.ts`).
  examples?: readonly string[];
  arguments?: A;
  options?: O;
  // Whether it talks to a cluster: it gets --context, and its kube context is resolved once at the start.
  cluster?: boolean;
  // It never changes anything: --dry-run and --yes are not among its options (help, parsing, the index).
  readOnly?: boolean;
  // Where the kube context comes from without --context, for its help (default: the current context).
  contextDefault?: string;
  // Whether this run needs the cluster (default: always, for cluster tasks); e.g. not with --offline.
  needsCluster?(options: TaskOptions<A, O>): boolean;
  // Loads the module that does the work; it loads while arguments are checked, and `run` gets it.
  load?(): Promise<M>;
  // Does the work; resolves to nothing, or to the exit code (a diff that found changes exits 1).
  run(options: TaskOptions<A, O>, context: TaskContext, module: M): Promise<unknown>;
};

export type CommandDefinition<
  A extends readonly ArgumentSpec[] = readonly ArgumentSpec[],
  O extends Record<string, OptionSpec> = Record<string, OptionSpec>,
  M = unknown,
> = Omit<Runnable<A, O, M>, 'name' | 'command'>;

export type TaskDefinition<
  A extends readonly ArgumentSpec[] = readonly ArgumentSpec[],
  O extends Record<string, OptionSpec> = Record<string, OptionSpec>,
  M = unknown,
> =
  | Runnable<A, O, M> & { commands?: undefined }
  | {
      name: string;
      summary: string;
      description?: string;
      examples?: readonly string[];
      // The commands, in the order help and questions show them.
      commands: Record<string, CommandDefinition<any, any, any>>;
      // What to show before asking for a command at a terminal (the state the commands act on).
      prelude?(root: string): Promise<string | undefined>;
    };

export type AnyTask = TaskDefinition<any, any, any>;
export type AnyRunnable = Runnable<any, any, any>;

// Declares a task. The `const` type parameters keep literal names and choices, so `run` is typed.
export function defineTask<const A extends readonly ArgumentSpec[], const O extends Record<string, OptionSpec>, M = unknown>(
  definition: Runnable<A, O, M>,
): Runnable<A, O, M>;
export function defineTask<const C extends Record<string, CommandDefinition<any, any, any>>>(definition: {
  name: string;
  summary: string;
  description?: string;
  examples?: readonly string[];
  commands: C;
  prelude?(root: string): Promise<string | undefined>;
}): TaskDefinition;
export function defineTask(definition: AnyTask): AnyTask {
  return definition;
}

// Declares one command of a task, typed like a task.
export function defineCommand<const A extends readonly ArgumentSpec[], const O extends Record<string, OptionSpec>, M = unknown>(
  definition: CommandDefinition<A, O, M>,
): CommandDefinition<A, O, M> {
  return definition;
}

const runnables = new WeakMap<object, Map<string, AnyRunnable>>();

// The runnable of `task` for `command` (undefined: the task itself), or undefined when it has no such command.
export function runnableOf(task: AnyTask, command?: string): AnyRunnable | undefined {
  if (!task.commands) return command === undefined ? task : undefined;
  if (command === undefined || !Object.hasOwn(task.commands, command)) return undefined;
  let byName = runnables.get(task);
  if (!byName) runnables.set(task, (byName = new Map()));
  let runnable = byName.get(command);
  if (!runnable) byName.set(command, (runnable = { ...task.commands[command], name: task.name, command }));
  return runnable;
}

// Every runnable of a task: itself, or each of its commands.
export function runnablesOf(task: AnyTask): AnyRunnable[] {
  if (!task.commands) return [task];
  return Object.keys(task.commands).map((command) => runnableOf(task, command)!);
}

// The options every task has (a read-only one without --dry-run and --yes), and --context for tasks that touch a cluster.
export function commonOptions(cluster: boolean, contextDefault = 'the current context when the run starts', readOnly = false): Record<string, OptionSpec> {
  const common: Record<string, OptionSpec> = {
    ...(readOnly ? {} : {
      dryRun: { type: 'boolean', description: 'show every command that would change something, run none of them' },
      yes: { type: 'boolean', description: 'answer yes to confirmations (needed without a terminal)' },
    } satisfies Record<string, OptionSpec>),
    verbose: { type: 'boolean', description: 'show the output of every command' },
    quiet: { type: 'boolean', description: 'print only errors and results' },
    help: { type: 'boolean', description: 'show this help' },
  };
  if (cluster) {
    common.context = { type: 'string', description: `kube context to use (default: ${contextDefault})`, placeholder: 'name' };
  }
  return common;
}

// Converts an option key to its flag: dryRun → --dry-run.
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

// How a task is declared: once, with its arguments, options and run function. Everything else
// (help, the index, validation, --json) is derived from this declaration.
import type { TaskContext } from './context.ts';

export type StringOption = {
  type: 'string';
  description: string;
  default?: string;
  choices?: readonly string[];
  placeholder?: string;
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
  choices?: readonly string[];
};

type OptionValue<S> = S extends BooleanOption
  ? boolean
  : S extends IntegerOption
    ? S extends { default: number } ? number : number | undefined
    : S extends { default: string } ? string : string | undefined;

type ArgumentValues<A extends readonly ArgumentSpec[]> = {
  [I in keyof A as A[I] extends { name: infer N extends string } ? N : never]: A[I] extends { required: true }
    ? string
    : string | undefined;
};

// The typed options object a task's run function receives: positional arguments and options by name.
export type TaskOptions<A extends readonly ArgumentSpec[], O extends Record<string, OptionSpec>> = ArgumentValues<A> & {
  [K in keyof O]: OptionValue<O[K]>;
};

export type TaskDefinition<
  A extends readonly ArgumentSpec[] = readonly ArgumentSpec[],
  O extends Record<string, OptionSpec> = Record<string, OptionSpec>,
> = {
  name: string;
  summary: string;
  // Longer help shown under the usage line by --help.
  description?: string;
  // Example invocations shown by --help (without the `npx zx tasks/<name>.ts` prefix).
  examples?: readonly string[];
  arguments?: A;
  options?: O;
  // Whether the task talks to a cluster; such tasks get --context.
  cluster?: boolean;
  // Starts loading the module that does the work, so it loads while arguments are checked.
  load?: () => Promise<unknown>;
  run: (options: TaskOptions<A, O>, context: TaskContext) => Promise<void>;
};

// Declares a task. The `const` type parameters keep literal names so the run options are typed.
export function defineTask<const A extends readonly ArgumentSpec[], const O extends Record<string, OptionSpec>>(
  definition: TaskDefinition<A, O>,
): TaskDefinition<A, O> {
  return definition;
}

// The options every task has, and --context for tasks that touch a cluster.
export function commonOptions(cluster: boolean): Record<string, OptionSpec> {
  const common: Record<string, OptionSpec> = {
    dryRun: { type: 'boolean', description: 'show every command that would change something, run none of them' },
    yes: { type: 'boolean', description: 'answer yes to confirmations (needed without a terminal)' },
    verbose: { type: 'boolean', description: 'show the output of every command' },
    quiet: { type: 'boolean', description: 'print only errors and results' },
    help: { type: 'boolean', description: 'show this help' },
  };
  if (cluster) {
    common.context = { type: 'string', description: 'kube context to use (default: the current context)', placeholder: 'name' };
  }
  return common;
}

// Converts an option key to its flag: dryRun → --dry-run.
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

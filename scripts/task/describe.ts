// Usage lines, --help text and the JSON description of a task or command, all derived from its
// declaration.
import { flagName, runnablesOf, type AnyRunnable, type AnyTask, type ArgumentSpec, type OptionSpec } from './define.ts';
import { allOptions } from './parse-args.ts';

export type OptionDescription = {
  name: string;
  flag: string;
  type: OptionSpec['type'];
  description: string;
  default?: string | number | boolean;
  choices?: string[];
};

export type RunnableDescription = {
  name: string;
  command?: string;
  summary: string;
  // It changes nothing, and takes no --dry-run or --yes.
  readOnly?: boolean;
  usage: string;
  arguments: { name: string; description: string; required: boolean; variadic?: boolean; choices?: string[] }[];
  options: OptionDescription[];
};

export type TaskDescription = RunnableDescription | { name: string; summary: string; usage: string; commands: RunnableDescription[] };

// The command a user types for a task (and command).
export function taskCommand(name: string, command?: string): string {
  return `npx zx tasks/${name}.ts${command ? ` ${command}` : ''}`;
}

function argumentLabel(a: ArgumentSpec): string {
  const name = a.variadic ? `${a.name}…` : a.name;
  return a.required ? `<${name}>` : `[${name}]`;
}

// One usage line: `npx zx tasks/x.ts <name> [options]`, or `npx zx tasks/x.ts <command> …` for a task with commands.
export function usageLine(task: AnyRunnable | AnyTask): string {
  if ('commands' in task && task.commands) return `${taskCommand(task.name)} <${Object.keys(task.commands).join('|')}> [options]`;
  const runnable = task as AnyRunnable;
  const args = ((runnable.arguments ?? []) as readonly ArgumentSpec[]).map(argumentLabel);
  return [taskCommand(runnable.name, runnable.command), ...args, '[options]'].join(' ');
}

// The flag as help shows it: `--file <path>`, `--no-restart`, `--category <auto|loki>`, and
// `--changed [<base>]` for one whose value may be left out (valueWhenBare).
function flagLabel(key: string, spec: OptionSpec): string {
  if (spec.type === 'boolean') return spec.default === true ? flagName(key).replace(/^--/, '--no-') : flagName(key);
  const value = `<${spec.type === 'string' && spec.choices ? spec.choices.join('|') : spec.placeholder ?? spec.type}>`;
  return `${flagName(key)} ${spec.type === 'string' && spec.valueWhenBare !== undefined ? `[${value}]` : value}${spec.type === 'string' && spec.multiple ? '…' : ''}`;
}

function describeRunnable(runnable: AnyRunnable): RunnableDescription {
  return {
    name: runnable.name,
    ...(runnable.command ? { command: runnable.command } : {}),
    summary: runnable.summary,
    ...(runnable.readOnly ? { readOnly: true } : {}),
    usage: usageLine(runnable),
    arguments: ((runnable.arguments ?? []) as readonly ArgumentSpec[]).map((a) => ({
      name: a.name,
      description: a.description,
      required: a.required === true,
      ...(a.variadic ? { variadic: true } : {}),
      ...(a.choices ? { choices: [...a.choices] } : {}),
    })),
    options: Object.entries(allOptions(runnable)).map(([key, spec]) => ({
      name: key,
      flag: spec.type === 'boolean' && spec.default === true ? flagName(key).replace(/^--/, '--no-') : flagName(key),
      type: spec.type,
      description: spec.description,
      ...(spec.default === undefined ? (spec.type === 'boolean' ? { default: false } : {}) : { default: spec.default }),
      ...(spec.type === 'string' && spec.choices ? { choices: [...spec.choices] } : {}),
    })),
  };
}

// A machine-readable description of a task (for `tasks/index.ts --json`); a task with commands lists each.
export function describeTask(task: AnyTask | AnyRunnable): TaskDescription {
  if ('commands' in task && task.commands) {
    return { name: task.name, summary: task.summary, usage: usageLine(task), commands: runnablesOf(task).map(describeRunnable) };
  }
  return describeRunnable(task as AnyRunnable);
}

// The --help text of a task without commands, or of one command.
export function helpText(runnable: AnyRunnable): string {
  const title = runnable.command ? `${runnable.name} ${runnable.command}` : runnable.name;
  const lines = [`${title} — ${runnable.summary}`, '', `Usage: ${usageLine(runnable)}`];
  if (runnable.description) lines.push('', runnable.description.trimEnd());
  const args = (runnable.arguments ?? []) as readonly ArgumentSpec[];
  if (args.length) {
    lines.push('', 'Arguments:');
    const width = Math.max(...args.map((a) => argumentLabel({ ...a, required: true }).length));
    for (const a of args) {
      const values = a.choices ? ` (one of: ${a.choices.join(', ')})` : '';
      lines.push(`  ${argumentLabel({ ...a, required: true }).padEnd(width)}  ${a.description}${values}${a.required ? '' : ' (optional)'}`);
    }
  }
  const entries = Object.entries(allOptions(runnable));
  const labels = entries.map(([key, spec]) => flagLabel(key, spec));
  const width = Math.max(...labels.map((l) => l.length));
  lines.push('', 'Options:');
  entries.forEach(([, spec], i) => {
    const shown = spec.type !== 'boolean' && spec.default !== undefined ? ` (default: ${spec.default})` : '';
    lines.push(`  ${labels[i].padEnd(width)}  ${spec.description}${shown}`);
  });
  if (runnable.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of runnable.examples) lines.push(`  ${taskCommand(runnable.name, runnable.command)} ${example}`);
  }
  return lines.join('\n') + '\n';
}

// The --help text of a task with commands: each command with its usage and summary.
export function commandsHelpText(task: AnyTask): string {
  const commands = runnablesOf(task);
  const usages = commands.map((c) => usageLine(c));
  const width = Math.max(...usages.map((u) => u.length));
  const lines = [`${task.name} — ${task.summary}`, '', `Usage: ${usageLine(task)}`];
  if (task.description) lines.push('', task.description.trimEnd());
  lines.push('', 'Commands:');
  commands.forEach((c, i) => lines.push(`  ${usages[i].padEnd(width)}  # ${c.summary}`));
  lines.push('', `Run \`${taskCommand(task.name)} <command> --help\` for a command's arguments and options.`);
  if (task.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of task.examples) lines.push(`  ${taskCommand(task.name)} ${example}`);
  }
  return lines.join('\n') + '\n';
}

// Usage lines, --help text and the JSON description of a task, all derived from its declaration.
import { flagName, type ArgumentSpec, type OptionSpec, type TaskDefinition } from './define.ts';
import { allOptions } from './parse-args.ts';

export type OptionDescription = {
  name: string;
  flag: string;
  type: OptionSpec['type'];
  description: string;
  default?: string | number | boolean;
  choices?: string[];
};

export type TaskDescription = {
  name: string;
  summary: string;
  usage: string;
  arguments: { name: string; description: string; required: boolean; choices?: string[] }[];
  options: OptionDescription[];
};

// The command a user types for a task.
export function taskCommand(name: string): string {
  return `npx zx tasks/${name}.ts`;
}

// One usage line: `npx zx tasks/x.ts <name> [options]`.
export function usageLine(task: TaskDefinition<any, any>): string {
  const args = ((task.arguments ?? []) as readonly ArgumentSpec[]).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`));
  return [taskCommand(task.name), ...args, '[options]'].join(' ');
}

// The flag as help shows it: `--file <path>`, `--no-restart`, `--category <auto|loki>`.
function flagLabel(key: string, spec: OptionSpec): string {
  if (spec.type === 'boolean') return spec.default === true ? flagName(key).replace(/^--/, '--no-') : flagName(key);
  const value = spec.type === 'string' && spec.choices ? spec.choices.join('|') : spec.placeholder ?? spec.type;
  return `${flagName(key)} <${value}>`;
}

// A machine-readable description of a task (for `tasks/index.ts --json`).
export function describeTask(task: TaskDefinition<any, any>): TaskDescription {
  return {
    name: task.name,
    summary: task.summary,
    usage: usageLine(task),
    arguments: ((task.arguments ?? []) as readonly ArgumentSpec[]).map((a) => ({
      name: a.name,
      description: a.description,
      required: a.required === true,
      ...(a.choices ? { choices: [...a.choices] } : {}),
    })),
    options: Object.entries(allOptions(task)).map(([key, spec]) => ({
      name: key,
      flag: spec.type === 'boolean' && spec.default === true ? flagName(key).replace(/^--/, '--no-') : flagName(key),
      type: spec.type,
      description: spec.description,
      ...(spec.default === undefined ? (spec.type === 'boolean' ? { default: false } : {}) : { default: spec.default }),
      ...(spec.type === 'string' && spec.choices ? { choices: [...spec.choices] } : {}),
    })),
  };
}

// The full --help text.
export function helpText(task: TaskDefinition<any, any>): string {
  const lines = [`${task.name} — ${task.summary}`, '', `Usage: ${usageLine(task)}`];
  if (task.description) lines.push('', task.description.trimEnd());
  const args = (task.arguments ?? []) as readonly ArgumentSpec[];
  if (args.length) {
    lines.push('', 'Arguments:');
    const width = Math.max(...args.map((a) => a.name.length + 2));
    for (const a of args) lines.push(`  ${`<${a.name}>`.padEnd(width)}  ${a.description}${a.required ? '' : ' (optional)'}`);
  }
  const entries = Object.entries(allOptions(task));
  const labels = entries.map(([key, spec]) => flagLabel(key, spec));
  const width = Math.max(...labels.map((l) => l.length));
  lines.push('', 'Options:');
  entries.forEach(([, spec], i) => {
    const shown = spec.type !== 'boolean' && spec.default !== undefined ? ` (default: ${spec.default})` : '';
    lines.push(`  ${labels[i].padEnd(width)}  ${spec.description}${shown}`);
  });
  if (task.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of task.examples) lines.push(`  ${taskCommand(task.name)} ${example}`);
  }
  return lines.join('\n') + '\n';
}

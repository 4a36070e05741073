// Turns argv into raw option values and positional arguments. Types, defaults and choices are
// checked afterwards (validate.ts); this step only knows which flags exist and which take a value.
import { UsageError } from '../core/errors.ts';
import { commonOptions, flagName, type AnyRunnable, type AnyTask, type OptionSpec } from './define.ts';

export type RawArguments = {
  values: Record<string, string | boolean | string[]>;
  positionals: string[];
};

// All options of a task or command (its own plus the common ones), keyed by option name.
export function allOptions(task: AnyRunnable): Record<string, OptionSpec> {
  return { ...(task.options ?? {}), ...commonOptions(task.cluster === true, task.contextDefault, task.readOnly === true) };
}

// For a task with commands: the command in argv and the other arguments. It is the first token
// naming a command (flags may come before it: `--context prod status`); failing that, the first
// token that is not a flag, which is then an unknown command.
export function splitCommand(task: AnyTask, argv: readonly string[]): { command: string | undefined; rest: string[] } {
  if (!task.commands) return { command: undefined, rest: [...argv] };
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  let index = head.findIndex((token) => Object.hasOwn(task.commands!, token));
  if (index === -1) index = head.findIndex((token) => !token.startsWith('-'));
  if (index === -1) return { command: undefined, rest: [...argv] };
  return { command: argv[index], rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
}

// An "unknown command" usage error, with a suggestion when one is close.
export function unknownCommand(task: AnyTask, command: string): UsageError {
  const names = Object.keys(task.commands ?? {});
  return new UsageError(`unknown command "${command}"${suggest(command, names)}; the commands are: ${names.join(', ')}`);
}

// Parses argv (`--flag`, `--no-flag`, `--key value`, `--key=value`, `-h`, `--`) for a task.
export function parseArgs(task: AnyRunnable, argv: readonly string[]): RawArguments {
  const options = allOptions(task);
  const byFlag = new Map(Object.entries(options).map(([key, spec]) => [flagName(key), { key, spec }]));
  const values: RawArguments['values'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h') {
      values.help = true;
      continue;
    }
    if (!token.startsWith('--') || token === '-') {
      if (token.startsWith('-') && token !== '-') throw new UsageError(`unknown option ${token}`);
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq === -1 ? token : token.slice(0, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const found = byFlag.get(flag);
    if (found) {
      if (found.spec.type === 'boolean') {
        values[found.key] = inline === undefined ? true : parseBoolean(flag, inline);
        continue;
      }
      let value: string;
      const bare = found.spec.type === 'string' ? found.spec.valueWhenBare : undefined;
      if (inline !== undefined) value = inline;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
      else if (bare !== undefined) value = bare;
      else throw new UsageError(`${flag} needs a value`);
      if (found.spec.type === 'string' && found.spec.multiple) {
        const list = values[found.key];
        values[found.key] = [...(Array.isArray(list) ? list : []), value];
      } else {
        values[found.key] = value;
      }
      continue;
    }
    const negated = flag.startsWith('--no-') ? byFlag.get('--' + flag.slice(5)) : undefined;
    if (negated && negated.spec.type === 'boolean' && inline === undefined) {
      values[negated.key] = false;
      continue;
    }
    throw new UsageError(`unknown option ${flag}${suggest(flag, [...byFlag.keys()])}`);
  }
  return { values, positionals };
}

function parseBoolean(flag: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UsageError(`${flag} takes no value or =true/=false, got "${text}"`);
}

// A " (did you mean --x?)" hint for a mistyped flag, or ''.
function suggest(flag: string, flags: string[]): string {
  const best = flags
    .map((candidate) => ({ candidate, distance: editDistance(flag, candidate) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= 2 ? ` (did you mean ${best.candidate}?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

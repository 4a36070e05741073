// Turns argv into raw option values and positional arguments. Types, defaults and choices are
// checked afterwards (validate.ts); this step only knows which flags exist and which take a value.
import { UsageError } from '../core/errors.ts';
import { commonOptions, flagName, type OptionSpec, type TaskDefinition } from './define.ts';

export type RawArguments = {
  values: Record<string, string | boolean>;
  positionals: string[];
};

// All options of a task (its own plus the common ones), keyed by option name.
export function allOptions(task: TaskDefinition<any, any>): Record<string, OptionSpec> {
  return { ...(task.options ?? {}), ...commonOptions(task.cluster === true) };
}

// Parses argv (`--flag`, `--no-flag`, `--key value`, `--key=value`, `-h`, `--`) for a task.
export function parseArgs(task: TaskDefinition<any, any>, argv: readonly string[]): RawArguments {
  const options = allOptions(task);
  const byFlag = new Map(Object.entries(options).map(([key, spec]) => [flagName(key), { key, spec }]));
  const values: Record<string, string | boolean> = {};
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
      } else if (inline !== undefined) {
        values[found.key] = inline;
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        values[found.key] = argv[++i];
      } else {
        throw new UsageError(`${flag} needs a value`);
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

// Questions at a terminal. Never waits without one: with no TTY or with CI set, a question that
// has no flag answer fails at once naming the flag (whether one can ask: isInteractive in
// terminal.ts). `prompts` is loaded only when asking; it reads and draws on the injected streams.
import type { Readable, Writable } from 'node:stream';
import { InterruptedError, TaskError, UsageError } from '../core/errors.ts';

export type Choice = { title: string; value: string; description?: string; selected?: boolean };

export type Asker = {
  interactive: boolean;
  // yes/no; `--yes` answers yes.
  confirm(message: string): Promise<boolean>;
  // A choice among values; `flag` names what answers it without a terminal.
  select(message: string, choices: readonly Choice[], flag: string): Promise<string>;
  // Several of the choices (space toggles, Enter confirms); `selected` ones start ticked.
  multiselect(message: string, choices: readonly Choice[], flag: string): Promise<string[]>;
  // Free text, checked by `check` (an error message, or undefined when fine); `flag` answers it without a terminal.
  text(message: string, flag: string, check?: (value: string) => string | undefined): Promise<string>;
  // For destructive steps: the person types `expected` (a cluster's name). `--yes` does not answer
  // it; `given` (the value of the explicit flag `flag`) does, when it is exactly `expected`.
  typed(message: string, expected: string, flag: string, given?: string): Promise<void>;
};

export type AskerOptions = {
  interactive: boolean;
  yes: boolean;
  stdin: Readable;
  stdout: Writable;
};

// The asker for one run.
export function createAsker(options: AskerOptions): Asker {
  const { interactive, yes } = options;
  async function ask<T>(question: Record<string, unknown>): Promise<T> {
    const prompts = (await import('prompts')).default;
    let cancelled = false;
    const answer = await prompts({ ...question, name: 'value', stdin: options.stdin, stdout: options.stdout } as never, {
      onCancel: () => {
        cancelled = true;
      },
    });
    if (cancelled) throw new InterruptedError('cancelled at the prompt');
    return answer.value as T;
  }
  const noTerminal = (message: string, answer: string) =>
    new UsageError(`"${message}" needs an answer, and there is no terminal to ask on: ${answer}`);
  return {
    interactive,
    async confirm(message) {
      if (yes) return true;
      if (!interactive) throw noTerminal(message, 'pass --yes to confirm');
      return ask<boolean>({ type: 'confirm', message, initial: false });
    },
    async select(message, choices, flag) {
      if (!interactive) throw noTerminal(message, `pass ${flag}`);
      return ask<string>({ type: 'select', message, choices: choices.map((c) => ({ title: c.title, value: c.value, description: c.description })) });
    },
    async multiselect(message, choices, flag) {
      if (!interactive) throw noTerminal(message, `pass ${flag}`);
      return ask<string[]>({
        type: 'multiselect',
        message,
        hint: 'space to choose, enter to confirm',
        instructions: false,
        choices: choices.map((c) => ({ title: c.title, value: c.value, description: c.description, selected: c.selected === true })),
      });
    },
    async text(message, flag, check) {
      if (!interactive) throw noTerminal(message, `pass ${flag}`);
      return ask<string>({ type: 'text', message, validate: (value: string) => check?.(value) ?? (value.trim() ? true : 'an answer is needed') });
    },
    async typed(message, expected, flag, given) {
      if (given !== undefined) {
        if (given === expected) return;
        throw new UsageError(`${flag} ${given} does not name this cluster (${expected}): nothing was changed`);
      }
      if (!interactive) throw noTerminal(message, `pass ${flag} ${expected} (--yes does not answer this)`);
      const typedName = await ask<string>({ type: 'text', message: `${message} Type "${expected}" to go on` });
      if (typedName !== expected) {
        throw new TaskError(`"${typedName ?? ''}" is not "${expected}": stopped, nothing was changed by this step`, {
          hint: `run it again and type ${expected} exactly, or pass ${flag} ${expected}`,
        });
      }
    },
  };
}

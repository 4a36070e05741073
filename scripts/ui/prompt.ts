// Questions. Never waits without a terminal: with no TTY or with CI set, a question that has no
// flag answer fails with a message naming the flag (whether one can ask: isInteractive in
// terminal.ts). `prompts` is loaded only when asking.
import { InterruptedError, UsageError } from '../core/errors.ts';

export type Asker = {
  interactive: boolean;
  // yes/no; `--yes` answers yes.
  confirm(message: string): Promise<boolean>;
  // A choice among values; `flag` names the option that answers it without a terminal.
  select(message: string, choices: readonly { title: string; value: string }[], flag: string): Promise<string>;
};

// The asker for one run.
export function createAsker(options: { interactive: boolean; yes: boolean }): Asker {
  const { interactive, yes } = options;
  async function ask<T>(question: Record<string, unknown>): Promise<T> {
    const prompts = (await import('prompts')).default;
    let cancelled = false;
    const answer = await prompts({ ...question, name: 'value', stdout: process.stderr } as never, {
      onCancel: () => {
        cancelled = true;
      },
    });
    if (cancelled) throw new InterruptedError('cancelled at the prompt');
    return answer.value as T;
  }
  return {
    interactive,
    async confirm(message) {
      if (yes) return true;
      if (!interactive) throw new UsageError(`"${message}" needs an answer, and there is no terminal to ask on: pass --yes to confirm`);
      return ask<boolean>({ type: 'confirm', message, initial: false });
    },
    async select(message, choices, flag) {
      if (!interactive) throw new UsageError(`"${message}" needs an answer, and there is no terminal to ask on: pass ${flag}`);
      return ask<string>({ type: 'select', message, choices: choices.map((c) => ({ title: c.title, value: c.value })) });
    },
  };
}

// Captured terminal streams and a ready task context for calling tasks and adapters in-process.
import type { Stream } from '../../scripts/ui/terminal.ts';
import { createContext, standaloneControl, type CommonFlags, type TaskContext, type TaskIo } from '../../scripts/task/context.ts';

export type CapturedIo = TaskIo & { out(): string; err(): string };

// Streams that record what is written; `tty` marks them as terminals.
export function captureIo(options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean }): CapturedIo {
  let out = '';
  let err = '';
  const stdout: Stream = { write: (text: string) => (out += text), isTTY: options.tty === true };
  const stderr: Stream = { write: (text: string) => (err += text), isTTY: options.tty === true };
  return {
    stdout,
    stderr,
    stdin: { isTTY: options.tty === true },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', NODE_ENV: 'test', ...options.env },
    cwd: options.cwd,
    out: () => out,
    err: () => err,
  };
}

// A task context over captured streams.
export function testContext(io: TaskIo, flags: Partial<CommonFlags> = {}, signal: AbortSignal = new AbortController().signal): TaskContext {
  const all = { dryRun: false, yes: false, verbose: false, quiet: false, ...flags };
  return createContext('test', all, io, standaloneControl(io, { yes: all.yes, signal }));
}

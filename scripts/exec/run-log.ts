// The run log: one file per task run under tmp/logs/, one line per command (time, exit code,
// duration, the masked command). Written synchronously so a crash or Ctrl-C keeps every line.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Masker } from '../core/mask.ts';

export type RunLogEntry = {
  command: string;
  exitCode: number | null;
  durationMs: number;
  status?: 'ok' | 'failed' | 'dry-run' | 'timeout' | 'interrupted';
};

export type RunLog = {
  // Relative path of the log file.
  path: string;
  // Whether anything was logged (the file exists).
  written(): boolean;
  append(entry: RunLogEntry): void;
  note(text: string): void;
};

// A run log for `task` under `<root>/tmp/logs`, named after the start time.
export function createRunLog(root: string, task: string, masker: Masker, now: Date = new Date()): RunLog {
  const dir = join(root, 'tmp', 'logs');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}-${task}-${process.pid}.log`);
  let started = false;
  const write = (text: string) => {
    if (!started) {
      mkdirSync(dir, { recursive: true });
      appendFileSync(file, `# ${task} run started ${now.toISOString()} in ${root}\n`);
      started = true;
    }
    appendFileSync(file, masker.mask(text) + '\n');
  };
  return {
    path: relative(root, file),
    written: () => started,
    append(entry) {
      const seconds = (entry.durationMs / 1000).toFixed(3);
      const status = entry.status ?? (entry.exitCode === 0 ? 'ok' : 'failed');
      write(`${new Date().toISOString()} ${status} exit=${entry.exitCode ?? '-'} ${seconds}s ${entry.command}`);
    },
    note(text) {
      write(`${new Date().toISOString()} note ${text}`);
    },
  };
}

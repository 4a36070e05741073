// File changes made by tasks: a set of changes lands all or none, each file is replaced atomically,
// every change is logged, and under --dry-run nothing is written (`would run: write …`).
import { accessSync, constants, copyFileSync, linkSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TaskError } from '../core/errors.ts';
import type { RunLog } from './run-log.ts';

export type FileChange = 'created' | 'updated' | 'unchanged' | 'removed';
// One change to a file, its path relative to the root.
export type FileOperation = { path: string; content: string } | { path: string; remove: true };
export type FileResult = { path: string; change: FileChange };
// Where dry-run lines go (the terminal's Ui has this shape).
export type FileReport = { wouldRun(display: string): void };

export type Files = {
  // Writes `content` to `path` (relative to the root) unless it is already exactly that.
  write(path: string, content: string): Promise<FileChange>;
  remove(path: string): Promise<FileChange>;
  // Applies every operation or none: all targets are checked writable and all new contents written
  // to temporary files before the first file is replaced; a failure puts back what was replaced.
  apply(operations: readonly FileOperation[]): Promise<FileResult[]>;
};

type Step = { path: string; full: string; content?: string; change: FileChange; mode: number; temp?: string; backup?: string; placed?: boolean };

// File writer rooted at `root`; under dry-run it only reports what it would do.
export function createFiles(options: { root: string; dryRun: boolean; ui: FileReport; log: RunLog }): Files {
  const { root, dryRun, ui, log } = options;
  const show = (path: string) => relative(root, resolve(root, path)) || path;
  const apply = async (operations: readonly FileOperation[]): Promise<FileResult[]> => {
    const steps = operations.map((operation) => planStep(root, operation, show(operation.path)));
    const changed = steps.filter((step) => step.change !== 'unchanged');
    if (dryRun) {
      for (const step of changed) {
        const display = step.change === 'removed' ? `remove ${show(step.path)}` : `write ${show(step.path)} (${step.change === 'created' ? 'new file' : 'changed'}, ${Buffer.byteLength(step.content ?? '')} bytes)`;
        ui.wouldRun(display);
        log.append({ command: display.replace(/ \(.*\)$/, ''), exitCode: null, durationMs: 0, status: 'dry-run' });
      }
    } else if (changed.length > 0) {
      commit(root, changed);
      for (const step of changed) log.note(`${step.change} ${show(step.path)}`);
    }
    return steps.map((step) => ({ path: step.path, change: step.change }));
  };
  return {
    apply,
    async write(path, content) {
      return (await apply([{ path, content }]))[0].change;
    },
    async remove(path) {
      return (await apply([{ path, remove: true }]))[0].change;
    },
  };
}

function planStep(root: string, operation: FileOperation, display: string): Step {
  const full = resolve(root, operation.path);
  let before: Buffer | undefined;
  let mode = 0o644;
  try {
    before = readFileSync(full);
    mode = statSync(full).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(error, display, 'read');
  }
  if ('remove' in operation) return { path: operation.path, full, change: before ? 'removed' : 'unchanged', mode };
  const change: FileChange = before === undefined ? 'created' : before.equals(Buffer.from(operation.content)) ? 'unchanged' : 'updated';
  return { path: operation.path, full, content: operation.content, change, mode };
}

// NOTE: order matters for all-or-none: check every folder, then write every temporary file, and
// only then replace targets (a hard link keeps the old file to put back; removals are renames).
function commit(root: string, steps: Step[]): void {
  const show = (full: string) => relative(root, full) || '.';
  for (const step of steps) checkWritable(step, show);
  const madeDirs: string[] = [];
  let current = steps[0];
  try {
    for (const step of steps) {
      current = step;
      if (step.content === undefined) continue;
      madeDirs.push(...makeDirs(dirname(step.full)));
      step.temp = tempPath(step.full, 'tmp');
      writeFileSync(step.temp, step.content, { mode: step.mode, flush: true });
    }
    for (const step of steps) {
      current = step;
      if (step.content === undefined) {
        step.backup = tempPath(step.full, 'bak');
        renameSync(step.full, step.backup);
      } else {
        if (step.change === 'updated') step.backup = keepCopy(step.full);
        renameSync(step.temp!, step.full);
      }
      step.placed = true;
    }
  } catch (error) {
    const leftovers = rollBack(steps, madeDirs).map(show);
    throw fileError(error, show(current.full), current.content === undefined ? 'remove' : 'write', leftovers);
  }
  for (const step of steps) if (step.backup) rmSync(step.backup, { force: true });
}

// Puts back every replaced or removed file and deletes what this commit created; returns what it could not undo.
function rollBack(steps: Step[], madeDirs: string[]): string[] {
  const failed: string[] = [];
  for (const step of [...steps].reverse()) {
    try {
      if (step.placed && step.backup) renameSync(step.backup, step.full);
      else if (step.placed) rmSync(step.full, { force: true });
      else if (step.backup) rmSync(step.backup, { force: true }); // made, but the original was never replaced
      if (step.temp) rmSync(step.temp, { force: true });
    } catch {
      failed.push(step.full);
    }
  }
  for (const dir of madeDirs.reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty or already gone: leave it
    }
  }
  return failed;
}

// The folder must be writable (or creatable below a writable one) before anything is written.
function checkWritable(step: Step, show: (full: string) => string): void {
  let dir = dirname(step.full);
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
      accessSync(dir, constants.W_OK);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || dirname(dir) === dir) throw fileError(error, show(step.full), step.content === undefined ? 'remove' : 'write', [], show(dir));
      dir = dirname(dir);
    }
  }
}

// The folders that had to be made for `dir`, outermost first.
function makeDirs(dir: string): string[] {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return [];
  const made: string[] = [];
  for (let d = dir; d.length >= first.length; d = dirname(d)) made.unshift(d);
  return made;
}

function keepCopy(full: string): string {
  const backup = tempPath(full, 'bak');
  try {
    linkSync(full, backup);
  } catch {
    copyFileSync(full, backup);
  }
  return backup;
}

function tempPath(full: string, kind: 'tmp' | 'bak'): string {
  return resolve(dirname(full), `.${full.split(/[\\/]/).pop()}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}

const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);
const SPACE = new Set(['ENOSPC', 'EDQUOT']);

// A file-system failure as a TaskError naming the file; anything that is not one is passed on as it is.
export function fileError(error: unknown, display: string, action: 'read' | 'write' | 'remove', leftovers: string[] = [], dir?: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string') return error;
  const folder = dir ?? dirname(display);
  const undone = action === 'read' ? '' : leftovers.length > 0 ? ` Could not undo the changes to: ${leftovers.join(', ')}.` : ' Nothing was changed.';
  if (PERMISSION.has(code)) {
    return new TaskError(`Cannot ${action} ${display}: permission denied (${code}) on ${folder}.${undone}`, {
      hint: `Make ${folder} writable for this user (ls -ld ${folder}; chmod u+w, or check chattr/lsattr and read-only mounts), then re-run.`,
      cause: error,
    });
  }
  if (SPACE.has(code)) {
    return new TaskError(`Cannot ${action} ${display}: no space left on the device (${code}).${undone}`, { hint: 'Free some disk space, then re-run.', cause: error });
  }
  return new TaskError(`Cannot ${action} ${display}: ${(error as Error).message}.${undone}`, { hint: `Check ${folder}, then re-run.`, cause: error });
}

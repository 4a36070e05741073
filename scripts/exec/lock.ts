// One run at a time: a lock file under the repository's tmp/ that serializes read-modify-write of
// repository files across processes. Waited for with a message, released on every exit path,
// taken over when the process that holds it is gone.
import { linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InterruptedError } from '../core/errors.ts';

export const REPO_LOCK = 'tmp/locks/repo.lock';

export type LockHolder = { pid: number; started: string; command: string };
export type Lock = { path: string; release(): void };
export type LockOptions = {
  // What this run is, for the message another run prints while it waits (e.g. "dashboard-cm flux-logs").
  command: string;
  // Called once when the lock is held by another live process and this run starts waiting.
  onWait?: (holder: LockHolder) => void;
  signal?: AbortSignal;
  pollMs?: number;
};

// Takes the lock at `<root>/tmp/locks/repo.lock`, waiting while another live process holds it.
export async function acquireRepoLock(root: string, options: LockOptions): Promise<Lock> {
  return acquireLock(join(root, REPO_LOCK), options);
}

// Takes the lock file at `path`; rejects with an InterruptedError when `signal` aborts while waiting.
export async function acquireLock(path: string, options: LockOptions): Promise<Lock> {
  mkdirSync(dirname(path), { recursive: true });
  const text = `${JSON.stringify({ pid: process.pid, started: new Date().toISOString(), command: options.command })}\n`;
  let waiting = false;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError('interrupted (Ctrl-C) while waiting for another run to finish');
    if (tryCreate(path, text)) return held(path, text);
    const current = readHolder(path);
    if (current === undefined) continue; // released between our try and the read: try again at once
    if (!isAlive(current.holder.pid)) {
      takeOver(path, current.text);
      continue;
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(current.holder);
    }
    await sleep(options.pollMs ?? 100, options.signal);
  }
}

// The message a waiting run prints.
export function waitingMessage(holder: LockHolder): string {
  return `waiting for another run (pid ${holder.pid}, started ${holder.started}${holder.command ? `: ${holder.command}` : ''}) to finish…`;
}

function held(path: string, text: string): Lock {
  let released = false;
  // NOTE: a safety net for paths that skip `finally` (process.exit after a second Ctrl-C).
  const onExit = () => release();
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    // Remove only our own lock: after a takeover (we were judged dead) it may be another run's.
    if (readHolder(path)?.text === text) rmSync(path, { force: true });
  };
  process.on('exit', onExit);
  return { path, release };
}

function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): { text: string; holder: LockHolder } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return { text, holder: { pid: Number(value.pid), started: String(value.started ?? '?'), command: String(value.command ?? '') } };
  } catch {
    // Half-written by a run that died between create and write: nobody holds it.
    return { text, holder: { pid: 0, started: '?', command: '' } };
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Moves a stale lock aside; if what was moved is not the stale lock we read (another run took it
// over and made its own meanwhile), puts that one back.
function takeOver(path: string, staleText: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, path);
  } catch {
    // a newer lock already stands at `path`: the one we moved was stale by then too
  } finally {
    rmSync(aside, { force: true });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms + Math.floor(Math.random() * ms * 0.5));
    signal?.addEventListener('abort', done, { once: true });
  });
}

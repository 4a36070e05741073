// lock.ts: one holder at a time, waiters told who holds it, stale locks taken over, release on exit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InterruptedError } from '../../../scripts/core/errors.ts';
import { acquireLock, waitingMessage, type LockHolder } from '../../../scripts/exec/lock.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

test('a second taker waits, is told who holds the lock, and gets it once released', async () => {
  const dir = testdir();
  try {
    const path = join(dir, 'locks/repo.lock');
    const first = await acquireLock(path, { command: 'first' });
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, process.pid);
    const waited: LockHolder[] = [];
    let secondHeld = false;
    const second = acquireLock(path, { command: 'second', pollMs: 5, onWait: (holder) => waited.push(holder) }).then((lock) => {
      secondHeld = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.not.ok(secondHeld, 'waits while the first holds it');
    assert.equal(waited.map((h) => [h.pid, h.command]), [[process.pid, 'first']]);
    assert.match(waitingMessage(waited[0]), new RegExp(`^waiting for another run \\(pid ${process.pid}, started \\d{4}-\\d\\d-\\d\\dT[^:]+:\\d\\d:\\d\\d\\.\\d+Z: first\\) to finish…$`));
    first.release();
    const lock = await second;
    assert.is(JSON.parse(readFileSync(path, 'utf8')).command, 'second');
    lock.release();
    lock.release();
    assert.not.ok(existsSync(path), 'released, twice without harm');
  } finally {
    removeDir(dir);
  }
});

test('a lock left by a process that is gone is taken over at once', async () => {
  const dir = testdir();
  try {
    const path = join(dir, 'repo.lock');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(path, JSON.stringify({ pid: dead, started: '2026-01-01T00:00:00.000Z', command: 'crashed' }));
    const waited: LockHolder[] = [];
    const lock = await acquireLock(path, { command: 'next', onWait: (holder) => waited.push(holder) });
    assert.equal(waited, []);
    assert.is(JSON.parse(readFileSync(path, 'utf8')).command, 'next');
    lock.release();
    writeFileSync(path, '{"pid":');
    (await acquireLock(path, { command: 'after a half-written lock' })).release();
    assert.not.ok(existsSync(path));
  } finally {
    removeDir(dir);
  }
});

test('Ctrl-C while waiting stops the wait with an InterruptedError and leaves the holder alone', async () => {
  const dir = testdir();
  try {
    const path = join(dir, 'repo.lock');
    const held = await acquireLock(path, { command: 'holder' });
    const controller = new AbortController();
    const waiting = acquireLock(path, { command: 'waiter', pollMs: 5, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await waiting.then(() => assert.unreachable(), (error) => assert.instance(error, InterruptedError));
    assert.is(JSON.parse(readFileSync(path, 'utf8')).command, 'holder');
    held.release();
  } finally {
    removeDir(dir);
  }
});

test('a process that exits without releasing (process.exit) still removes its lock', () => {
  const dir = testdir();
  try {
    mkdirSync(join(dir, 'tmp'));
    const lockModule = new URL('../../../scripts/exec/lock.ts', import.meta.url).href;
    const script = `const { acquireRepoLock } = await import(${JSON.stringify(lockModule)}); await acquireRepoLock(${JSON.stringify(dir)}, { command: 'x' }); process.exit(3);`;
    const result = spawnSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.is(result.status, 3, result.stderr);
    assert.not.ok(existsSync(join(dir, 'tmp/locks/repo.lock')));
    assert.ok(existsSync(join(dir, 'tmp/locks')));
  } finally {
    removeDir(dir);
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { testdir, gitdir, git, removeDir, removeTestdirs } from './testdir.ts';

test('testdir writes nested files', () => {
  const dir = testdir({ 'a/b/c.txt': 'hello' });
  try {
    assert.is(readFileSync(join(dir, 'a/b/c.txt'), 'utf8'), 'hello');
  } finally {
    removeDir(dir);
  }
  assert.not.ok(existsSync(dir));
});

test('gitdir makes one real commit on main', () => {
  const dir = gitdir({ 'x.txt': '1' });
  try {
    assert.is(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.is(git(dir, 'rev-list', '--count', 'HEAD'), '1');
  } finally {
    removeDir(dir);
  }
});

test('removeTestdirs removes every directory not removed yet, and only once', () => {
  const kept = testdir({ 'a.txt': 'a' });
  const removed = testdir();
  removeDir(removed);
  const repo = gitdir();
  removeTestdirs();
  assert.equal([existsSync(kept), existsSync(repo)], [false, false]);
  removeTestdirs();
});

test.run();

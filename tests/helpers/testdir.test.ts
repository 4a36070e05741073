import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { testdir, gitdir, git, removeDir } from './testdir.ts';

test('testdir writes nested files', () => {
  const dir = testdir({ 'a/b/c.txt': 'hello' });
  assert.is(readFileSync(join(dir, 'a/b/c.txt'), 'utf8'), 'hello');
  removeDir(dir);
  assert.not.ok(existsSync(dir));
});

test('gitdir makes one real commit on main', () => {
  const dir = gitdir({ 'x.txt': '1' });
  assert.is(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
  assert.is(git(dir, 'rev-list', '--count', 'HEAD'), '1');
  removeDir(dir);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../scripts/core/write-atomic.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

test('writes a new file, creating its folder, and leaves no temporary file', () => {
  const dir = testdir({});
  try {
    writeFileAtomic(join(dir, 'a/b/file.yaml'), 'hello\n');
    assert.is(readFileSync(join(dir, 'a/b/file.yaml'), 'utf8'), 'hello\n');
    assert.equal(readdirSync(join(dir, 'a/b')), ['file.yaml']);
  } finally {
    removeDir(dir);
  }
});

test('replaces an existing file and keeps its mode', () => {
  const dir = testdir({ 'run.sh': 'old' });
  try {
    chmodSync(join(dir, 'run.sh'), 0o755);
    writeFileAtomic(join(dir, 'run.sh'), new TextEncoder().encode('new'));
    assert.is(readFileSync(join(dir, 'run.sh'), 'utf8'), 'new');
    assert.is(statSync(join(dir, 'run.sh')).mode & 0o777, 0o755);
  } finally {
    removeDir(dir);
  }
});

test('leaves the old file and no temporary file when the write fails', () => {
  const dir = testdir({ 'target/keep.txt': 'x' });
  try {
    assert.throws(() => writeFileAtomic(join(dir, 'target'), 'data'));
    assert.equal(readdirSync(dir), ['target']);
    assert.is(readFileSync(join(dir, 'target/keep.txt'), 'utf8'), 'x');
  } finally {
    removeDir(dir);
  }
});

test.run();

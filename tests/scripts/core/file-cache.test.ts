import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileCache } from '../../../scripts/core/file-cache.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

// A cache over `dir` that counts how often it had to read a file.
function counting(dir: string, key = 'v1') {
  const cache = openFileCache<number>('lengths', key, join(dir, 'cache'));
  const reads: string[] = [];
  const get = (name: string) => cache.get(join(dir, name), (text) => (reads.push(name), text.length));
  return { cache, reads, get };
}

test('reuses the value of an unchanged file from an earlier run', () => {
  const dir = testdir({ 'a.txt': 'hello', 'b.txt': 'hi' });
  try {
    const first = counting(dir);
    assert.equal([first.get('a.txt'), first.get('b.txt')], [5, 2]);
    first.cache.save();
    const second = counting(dir);
    assert.equal([second.get('a.txt'), second.get('b.txt')], [5, 2]);
    assert.equal(second.reads, []);
  } finally {
    removeDir(dir);
  }
});

test('reads a file again when its size or mtime changed', () => {
  const dir = testdir({ 'a.txt': 'hello', 'b.txt': 'abc' });
  try {
    const first = counting(dir);
    first.get('a.txt');
    first.get('b.txt');
    first.cache.save();
    writeFileSync(join(dir, 'a.txt'), 'hello world');
    writeFileSync(join(dir, 'b.txt'), 'abcd');
    writeFileSync(join(dir, 'b.txt'), 'xyz'); // same size as before
    utimesSync(join(dir, 'b.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const second = counting(dir);
    assert.equal([second.get('a.txt'), second.get('b.txt')], [11, 3]);
    assert.equal(second.reads, ['a.txt', 'b.txt']);
  } finally {
    removeDir(dir);
  }
});

test('ignores a damaged cache file and one written for another key', () => {
  const dir = testdir({ 'a.txt': 'hello' });
  try {
    const first = counting(dir);
    first.get('a.txt');
    first.cache.save();
    const path = join(dir, 'cache', 'lengths.json');
    assert.ok(readFileSync(path, 'utf8').includes('"key":"v1"'));
    const other = counting(dir, 'v2');
    other.get('a.txt');
    assert.equal(other.reads, ['a.txt']);
    for (const junk of ['{"key":"v1","entries":', '[]', 'null', '{"key":"v1","entries":[1]}']) {
      writeFileSync(path, junk);
      const again = counting(dir);
      assert.is(again.get('a.txt'), 5);
      assert.equal(again.reads, ['a.txt']);
    }
  } finally {
    removeDir(dir);
  }
});

test('writes nothing when every value came from the cache, and drops files that are gone', () => {
  const dir = testdir({ 'a.txt': 'hello', 'b.txt': 'hi' });
  try {
    const first = counting(dir);
    first.get('a.txt');
    first.get('b.txt');
    first.cache.save();
    const path = join(dir, 'cache', 'lengths.json');
    const written = statSync(path).mtimeMs;
    const second = counting(dir);
    second.get('a.txt');
    second.cache.save();
    assert.is(statSync(path).mtimeMs, written);
    rmSync(join(dir, 'b.txt'));
    const third = counting(dir);
    third.get('a.txt');
    third.cache.save();
    assert.equal(Object.keys(JSON.parse(readFileSync(path, 'utf8')).entries), [join(dir, 'a.txt')]);
  } finally {
    removeDir(dir);
  }
});

test('works without a writable cache folder', () => {
  const dir = testdir({ 'a.txt': 'hello', cache: 'not a folder' });
  try {
    const run = counting(dir);
    assert.is(run.get('a.txt'), 5);
    run.cache.save();
    assert.is(readFileSync(join(dir, 'cache'), 'utf8'), 'not a folder');
  } finally {
    removeDir(dir);
  }
});

test.run();

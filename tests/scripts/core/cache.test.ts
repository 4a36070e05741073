import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { cachedValidator, openFileCache, schemaCachePath } from '../../../scripts/core/cache.ts';
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

// NOTE: cached modules require('ajv/dist/runtime/…'), so a test cache must live inside node_modules too.
const CACHES = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url));
const cacheDir = () => (mkdirSync(CACHES, { recursive: true }), mkdtempSync(join(CACHES, 'schema-cache-test-')));

const schema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, pattern: '^[a-z]+$' }, count: { type: 'integer', minimum: 1, default: 3 } },
  additionalProperties: false,
};
const options = { allErrors: true, strict: true, coerceTypes: true, useDefaults: true };

test('compiles a schema once, then loads the cached module with the same results, defaults and errors', () => {
  const dir = cacheDir();
  try {
    const compiled = cachedValidator(schema, options, dir);
    assert.equal(readdirSync(dir), [schemaCachePath(schema, options, dir).split('/').pop()]);
    const loaded = cachedValidator(schema, options, dir);
    assert.is.not(loaded, compiled);
    const reference = new Ajv(options).compile(schema);
    for (const data of [{ name: 'ok' }, { name: 'ok', count: '7' }, { name: 'Bad!', count: '0', extra: 1 }, {}]) {
      const [a, b] = [structuredClone(data), structuredClone(data)];
      assert.is(loaded(a), reference(b));
      assert.equal(a, b);
      assert.equal(loaded.errors, reference.errors);
    }
  } finally {
    removeDir(dir);
  }
});

test('keys the cache by schema and options', () => {
  const dir = cacheDir();
  try {
    const paths = new Set([
      schemaCachePath(schema, options, dir),
      schemaCachePath({ ...schema, required: [] }, options, dir),
      schemaCachePath(schema, { ...options, allErrors: false }, dir),
    ]);
    assert.is(paths.size, 3);
  } finally {
    removeDir(dir);
  }
});

test('recompiles over a damaged cache file', () => {
  const dir = cacheDir();
  try {
    const path = schemaCachePath(schema, options, dir);
    writeFileSync(path, 'module.exports = (');
    const validate = cachedValidator(schema, options, dir);
    assert.is(validate({ name: 'x' }), true);
    assert.is(validate({ name: 1 }), false);
    assert.is(typeof cachedValidator(schema, options, dir), 'function');
  } finally {
    removeDir(dir);
  }
});

test('validates without a cache when the cache folder cannot be created', () => {
  const dir = cacheDir();
  try {
    writeFileSync(join(dir, 'file'), '');
    const unwritable = join(dir, 'file', 'cache');
    const validate = cachedValidator(schema, options, unwritable);
    assert.is(validate({ name: 'x' }), true);
    assert.is(existsSync(unwritable), false);
  } finally {
    removeDir(dir);
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { cachedValidator, schemaCachePath } from '../../../scripts/core/schema-cache.ts';
import { removeDir } from '../../helpers/testdir.ts';

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

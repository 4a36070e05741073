// JSON Schema validators compiled by ajv once and kept on disk as ajv "standalone" modules, so a
// task run with a warm cache never loads ajv (~45 ms) or compiles (~60 ms). Same validator, same
// `errors` objects: the cached module is exactly the code ajv would run in memory.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Options, ValidateFunction } from 'ajv';
import { CACHE_DIR } from './cache-dir.ts';
import { writeFileAtomic } from './write-atomic.ts';

const require = createRequire(import.meta.url);

// The file a compiled validator is cached in: keyed by the schema, the ajv options and the ajv version.
export function schemaCachePath(schema: object, options: Options, cacheDir: string = CACHE_DIR): string {
  const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([schema, options, ajvVersion])).digest('hex');
  return resolve(cacheDir, `ajv-${key}.cjs`);
}

// A validator for `schema`: loaded from the cache when present, else compiled and cached; an
// unreadable cache file is recompiled and an unwritable cache folder only costs the speed-up.
export function cachedValidator(schema: object, options: Options, cacheDir: string = CACHE_DIR): ValidateFunction {
  const path = schemaCachePath(schema, options, cacheDir);
  try {
    const cached: unknown = require(path);
    if (typeof cached === 'function') return cached as ValidateFunction;
  } catch {
    // Not cached yet, or a damaged file: compile it again below.
  }
  const Ajv = require('ajv').default as typeof import('ajv').default;
  const ajv = new Ajv({ ...options, code: { ...options.code, source: true, esm: false } });
  const validate = ajv.compile(schema);
  try {
    const standaloneCode = require('ajv/dist/standalone/index.js').default as typeof import('ajv/dist/standalone/index.js').default;
    writeFileAtomic(path, standaloneCode(ajv, validate));
  } catch {
    // A read-only checkout or node_modules: validate without the cache.
  }
  return validate;
}

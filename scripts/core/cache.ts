// Caches tasks keep between runs under node_modules/.cache/gitops-tasks: values computed from a
// file's text (reused while the file is unchanged), and JSON Schema validators compiled by ajv.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options, ValidateFunction } from 'ajv';
import { writeFileAtomic } from './write-atomic.ts';

// node_modules/.cache/gitops-tasks: the usual place for tool caches; git ignores it, `npm ci` empties it.
// NOTE: it must stay inside node_modules: cached ajv modules require('ajv/dist/runtime/…') from there.
export const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/gitops-tasks/', import.meta.url));

// --- File cache ----------------------------------------------------------------------------------
// Values computed from a file's text, kept on disk between runs and reused while the file's size,
// mtime and ctime stay the same: a file that changed in any way is read and computed again.

type Entry<T> = { size: number; mtimeMs: number; ctimeMs: number; value: T };
type Stored<T> = { key: string; entries: Record<string, Entry<T>> };

export type FileCache<T> = {
  // The value for the file at absolute `path`: the cached one while the file is unchanged, else compute(its text).
  get(path: string, compute: (text: string) => T): T;
  // Writes the cache back if anything changed, without entries for files that no longer exist; never throws.
  save(): void;
};

// The cache `<cacheDir>/<name>.json`; its entries count only while `key` (what computes the values) is unchanged.
export function openFileCache<T>(name: string, key: string, cacheDir: string = CACHE_DIR): FileCache<T> {
  const path = join(cacheDir, `${name}.json`);
  const entries = load<T>(path, key);
  const seen = new Set<string>();
  let dirty = false;
  return {
    get(file, compute) {
      seen.add(file);
      const { size, mtimeMs, ctimeMs } = statSync(file);
      const cached = entries[file];
      if (cached && cached.size === size && cached.mtimeMs === mtimeMs && cached.ctimeMs === ctimeMs) return cached.value;
      // NOTE: stat before read: a write in between leaves a stat that no longer matches, so it is read again next time.
      const value = compute(readFileSync(file, 'utf8'));
      entries[file] = { size, mtimeMs, ctimeMs, value };
      dirty = true;
      return value;
    },
    save() {
      for (const file of Object.keys(entries)) {
        if (!seen.has(file) && !existsSync(file)) {
          delete entries[file];
          dirty = true;
        }
      }
      if (!dirty) return;
      try {
        writeFileAtomic(path, JSON.stringify({ key, entries } satisfies Stored<T>), { flush: false });
        dirty = false;
      } catch {
        // A read-only node_modules: the next run computes again.
      }
    },
  };
}

function load<T>(path: string, key: string): Record<string, Entry<T>> {
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Stored<T>;
    const usable = stored?.key === key && typeof stored.entries === 'object' && stored.entries !== null && !Array.isArray(stored.entries);
    return usable ? stored.entries : {};
  } catch {
    return {};
  }
}

// --- Schema cache --------------------------------------------------------------------------------
// JSON Schema validators compiled by ajv once and kept on disk as ajv "standalone" modules, so a
// task run with a warm cache neither loads ajv nor compiles (npm run bench shows what that saves). Same validator, same
// `errors` objects: the cached module is exactly the code ajv would run in memory.

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
    writeFileAtomic(path, standaloneCode(ajv, validate), { flush: false });
  } catch {
    // A read-only checkout or node_modules: validate without the cache.
  }
  return validate;
}

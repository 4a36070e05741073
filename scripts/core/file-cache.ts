// Values computed from a file's text, kept on disk between runs and reused while the file's size,
// mtime and ctime stay the same: a file that changed in any way is read and computed again.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from './cache-dir.ts';
import { writeFileAtomic } from './write-atomic.ts';

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
        writeFileAtomic(path, JSON.stringify({ key, entries } satisfies Stored<T>));
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

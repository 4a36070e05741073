// validate's caches under node_modules/.cache/gitops-tasks/validate/ (safe to delete), keyed by
// content hashes: each file's sha256 (recomputed only when its size, mtime or ctime changed),
// each build's objects by the hash of its request and every input file, and the last full run's
// result by the hash of every file it read. The code of validate itself is part of every key.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, openFileCache, type FileCache } from '../core/cache.ts';
import { writeFileAtomic } from '../core/write-atomic.ts';
import type { BuildOutcome } from './build.ts';
import { kustomizationEntries, type Entries, type EntryReader } from '../gitops/inputs.ts';
import type { ValidateResult } from './findings.ts';
import { SCHEMA_PACKAGES, type SchemaError } from './schemas.ts';

// `folders`: the state (inode, mtime, ctime) of each folder whose listing decides what was read.
export type RunRecord = { key: string; files: Record<string, string>; folders: Record<string, string>; result: ValidateResult };

export type ValidateCache = {
  // The content hash of repo-relative `file` ('' when it does not exist).
  hash(file: string): string;
  // The key of a build: its request and the hashes of what it reads.
  buildKey(requestKey: string, inputs: Iterable<string>): string;
  build(key: string): BuildOutcome | undefined;
  storeBuild(key: string, outcome: BuildOutcome): void;
  // The last full run (not --changed) with `runKey` when none of the files it read changed and no
  // file came or went in the folders it listed.
  run(runKey: string, treeFiles: readonly string[]): ValidateResult | undefined;
  storeRun(runKey: string, files: Iterable<string>, folders: Iterable<string>, result: ValidateResult): void;
  // Reads kustomization files' entries, parsing only files changed since the last run.
  entries: EntryReader;
  // Schema errors of objects by the hash of their JSON (an unchanged object needs no validator loaded).
  schemaResults: SchemaResults;
  save(): void;
};

export type SchemaResults = { get(key: string): SchemaError[] | undefined; set(key: string, errors: SchemaError[]): void };

// How many objects' schema results are kept (the oldest go first).
const MAX_SCHEMA_RESULTS = 100_000;

// Every folder of code validate's result depends on (it reads cluster settings and kustomization files too).
const CODE_DIRS = ['../validate/', '../gitops/', '../kustomize/', '../cluster/'].map((dir) => new URL(dir, import.meta.url));
const PACKAGES = [...SCHEMA_PACKAGES, 'yaml', 'ajv', 'typescript'];

// A hash of validate's own code, the versions of the packages it reads with and the kubectl binary
// that builds: a new version of any invalidates everything.
function codeKey(): string {
  const hash = createHash('sha256');
  for (const dir of CODE_DIRS) {
    for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(new URL(name, dir)));
  }
  const modules = fileURLToPath(new URL('../../node_modules/', import.meta.url));
  for (const pkg of PACKAGES) {
    try {
      hash.update(pkg).update(JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')).version);
    } catch {
      hash.update(`${pkg} missing`);
    }
  }
  return hash.update(kubectlIdentity()).digest('hex');
}

// The kubectl on PATH (its kustomize builds): path, size and modification time, without running it.
function kubectlIdentity(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir || '.', 'kubectl');
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile()) return `kubectl ${path} ${stat.size} ${stat.mtimeMs}`;
  }
  return 'no kubectl';
}

// Opens the caches of the repository at `root`; `cacheDir` defaults to node_modules/.cache/gitops-tasks.
export function openValidateCache(root: string, cacheDir: string = CACHE_DIR): ValidateCache {
  const dir = join(cacheDir, 'validate');
  const code = codeKey();
  const hashes: FileCache<string> = openFileCache<string>('validate-file-hashes', code, cacheDir);
  const entryCache: FileCache<Entries> = openFileCache<Entries>('validate-kustomization-entries', code, cacheDir);
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  // What changes when a file comes or goes in a repo-relative folder: its inode, mtime and ctime
  // ('' when it is not a folder).
  const listing = (folder: string) => {
    const stat = statSync(join(root, folder), { throwIfNoEntry: false });
    return stat?.isDirectory() ? `${stat.ino} ${stat.mtimeMs} ${stat.ctimeMs}` : '';
  };
  // Files do not change during a run: each is hashed (or its hash checked) once.
  const known = new Map<string, string>();
  const hash = (file: string) => {
    let digest = known.get(file);
    if (digest === undefined) {
      try {
        digest = hashes.get(join(root, file), sha);
      } catch {
        // missing, or a folder
        digest = '';
      }
      known.set(file, digest);
    }
    return digest;
  };
  const read = <T>(name: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  };
  const write = (name: string, value: unknown) => {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, name), JSON.stringify(value), { flush: false });
    } catch {
      // A read-only node_modules: the next run builds again.
    }
  };
  let results: Map<string, SchemaError[]> | undefined;
  let resultsDirty = false;
  const loadResults = () => (results ??= new Map(Object.entries(read<Record<string, SchemaError[]>>(`schema-results-${code.slice(0, 16)}.json`) ?? {})));
  const schemaResults: SchemaResults = {
    get: (key) => loadResults().get(key),
    set(key, errors) {
      const map = loadResults();
      map.delete(key);
      map.set(key, errors);
      resultsDirty = true;
    },
  };
  return {
    hash,
    schemaResults,
    entries: (repo, file) => entryCache.get(join(repo, file), (text) => kustomizationEntries(text, file)),
    buildKey(requestKey, inputs) {
      const h = createHash('sha256').update(code).update(requestKey);
      for (const file of [...inputs].sort()) h.update(`\0${file}\0${hash(file)}`);
      return h.digest('hex');
    },
    build: (key) => read<BuildOutcome>(`build-${key}.json`),
    storeBuild: (key, outcome) => write(`build-${key}.json`, outcome),
    run(runKey, treeFiles) {
      const record = read<RunRecord>(`run-${sha(root).slice(0, 16)}.json`);
      if (!record || record.key !== sha(code + runKey)) return undefined;
      // A file added to or removed from the tree changes the run too.
      if (!treeFiles.every((file) => file in record.files)) return undefined;
      for (const [file, digest] of Object.entries(record.files)) if (hash(file) !== digest) return undefined;
      for (const [folder, digest] of Object.entries(record.folders ?? {})) if (listing(folder) !== digest) return undefined;
      return record.result;
    },
    storeRun(runKey, files, folders, result) {
      const record: RunRecord = {
        key: sha(code + runKey),
        files: Object.fromEntries([...new Set(files)].sort().map((f) => [f, hash(f)])),
        folders: Object.fromEntries([...new Set(folders)].sort().map((f) => [f, listing(f)])),
        result,
      };
      write(`run-${sha(root).slice(0, 16)}.json`, record);
    },
    save() {
      hashes.save();
      entryCache.save();
      if (results && resultsDirty) {
        const entries = [...results.entries()];
        write(`schema-results-${code.slice(0, 16)}.json`, Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_SCHEMA_RESULTS))));
        resultsDirty = false;
      }
    },
  };
}

// Plans the kustomization edits that make a manifest part of what Flux builds from a folder:
// the file listed in its folder, and each folder listed in its parent, up to `fromDir`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { TaskError } from '../core/errors.ts';
import { openFileCache } from '../core/cache.ts';
import {
  KUSTOMIZATION_FILES,
  kustomizationPath,
  leavesUnchanged,
  planAddResource,
  planRemoveResource,
  resourceListing,
  type ResourceListing,
} from './kustomization.ts';

export type ResourceChange = { dir: string; entry: string; action: 'add' | 'remove' };
export type FileEdit = { path: string; before: string | undefined; after: string };

// The `add` changes that list repo-relative `file` in its folder and every folder up to `fromDir`.
// Refuses a folder on the way that has manifests but no kustomization: adding one would hide them from Flux.
export function reachabilityChanges(repoRoot: string, fromDir: string, file: string): ResourceChange[] {
  const relativeToFrom = posix.relative(fromDir, file);
  if (relativeToFrom.startsWith('..') || posix.isAbsolute(relativeToFrom)) {
    throw new Error(`reachabilityChanges: ${file} is not inside ${fromDir}`);
  }
  const changes: ResourceChange[] = [];
  let child = file;
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    checkHasKustomization(repoRoot, dir, fromDir, posix.basename(child));
    changes.unshift({ dir, entry: posix.basename(child), action: 'add' });
    if (dir === fromDir) return changes;
    child = dir;
  }
}

// Each kustomization's listing is cached until the file changes, keyed by the source of
// kustomization.ts, which computes the listings.
const LISTING_CACHE_KEY = createHash('sha256').update(readFileSync(new URL('./kustomization.ts', import.meta.url))).digest('hex');

// The file edits for `changes`, applied in order (several may touch one file); only files that change.
// A change that the file's cached listing shows to be no change costs no YAML parse.
export function planResourceChanges(repoRoot: string, changes: ResourceChange[], options: { cacheDir?: string } = {}): FileEdit[] {
  const listings = openFileCache<ResourceListing>('kustomization-listings', LISTING_CACHE_KEY, options.cacheDir);
  const edits = new Map<string, FileEdit>();
  for (const change of changes) {
    const path = relative(repoRoot, kustomizationPath(join(repoRoot, change.dir))).split('\\').join('/');
    const full = join(repoRoot, path);
    // NOTE: a listing describes the file on disk, so it answers only until a change of this plan edits that file.
    if (!edits.has(path) && existsSync(full)) {
      const listing = listings.get(full, (text) => resourceListing(text, path));
      if (leavesUnchanged(listing, change.action, change.entry)) continue;
    }
    const current = edits.get(path) ?? { path, before: read(join(repoRoot, path)), after: '' };
    const text = edits.has(path) ? current.after : current.before;
    const plan = change.action === 'add' ? planAddResource(text, change.entry, path) : planRemoveResource(text, change.entry, path);
    if (plan.changed) edits.set(path, { ...current, after: plan.text });
  }
  listings.save();
  return [...edits.values()].filter((edit) => edit.after !== edit.before);
}

function checkHasKustomization(repoRoot: string, dir: string, fromDir: string, child: string): void {
  const full = join(repoRoot, dir);
  if (KUSTOMIZATION_FILES.some((name) => existsSync(join(full, name)))) return;
  const others = existsSync(full) ? readdirSync(full).filter((name) => name !== child && !name.startsWith('.')) : [];
  if (dir !== fromDir && others.length === 0) return;
  throw new TaskError(
    `${dir} has no kustomization.yaml${others.length > 0 ? ` but holds ${others.join(', ')}` : ''}: ` +
      'Flux builds such a folder from every manifest in it, and adding a kustomization.yaml would change what it deploys.',
    { hint: `Add ${dir}/kustomization.yaml listing its resources (including ${child}), then re-run.` },
  );
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}


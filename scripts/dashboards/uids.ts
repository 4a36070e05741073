// Dashboard uids already in the repo: Grafana keys dashboards by uid, so a second dashboard with
// the same uid silently replaces the first one.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TaskError } from '../core/errors.ts';
import { openFileCache } from '../core/cache.ts';
import { loadYaml } from '../core/lazy.ts';

export type DashboardUid = { uid: string; file: string; name: string; title: string };
type FileUid = Omit<DashboardUid, 'file'>;

const SCANNED_ROOTS = ['infrastructure', 'clusters'];
// Parsing the big dashboard ConfigMaps is most of a scan, so each file's uids are cached until it
// changes; the cache is keyed by this module's source, so editing the scan below invalidates it.
const CACHE_KEY = createHash('sha256').update(readFileSync(new URL(import.meta.url))).digest('hex');

// Every dashboard uid under infrastructure/ and clusters/: ConfigMaps labelled grafana_dashboard
// (one entry per data key) and *.json dashboards. Files are repo-relative; `name` is the data key or file name.
export function scanDashboardUids(repoRoot: string, options: { roots?: string[]; cacheDir?: string } = {}): DashboardUid[] {
  const cache = openFileCache<FileUid[]>('dashboard-uids', CACHE_KEY, options.cacheDir);
  const found: DashboardUid[] = [];
  for (const path of (options.roots ?? SCANNED_ROOTS).flatMap((root) => listFiles(join(repoRoot, root)))) {
    const file = relative(repoRoot, path).split('\\').join('/');
    if (/\.ya?ml$/.test(path)) found.push(...cache.get(path, uidsInManifests).map((entry) => ({ ...entry, file })));
    else if (path.endsWith('.json')) found.push(...cache.get(path, (text) => uidsInJson(text, file.split('/').pop() ?? file)).map((entry) => ({ ...entry, file })));
  }
  cache.save();
  return found;
}

// The first entry using `uid` outside `ownFiles` (the file we are about to write, or to move), if any.
export function findUidConflict(entries: DashboardUid[], uid: string, ownFiles: string[]): DashboardUid | undefined {
  return entries.find((entry) => entry.uid === uid && !ownFiles.includes(entry.file));
}

// Throws a TaskError naming both files when another dashboard in the repo already uses `uid`.
export function assertUniqueUid(entries: DashboardUid[], uid: string, ownFiles: string[], sourcePath: string): void {
  const conflict = findUidConflict(entries, uid, ownFiles);
  if (!conflict) return;
  throw new TaskError(
    `The dashboard in ${sourcePath} has uid "${uid}", which ${conflict.file} (${conflict.name}) already uses: ` +
      'Grafana would silently replace one dashboard with the other.',
    { hint: `Give the new dashboard another uid in ${sourcePath} ("uid": "…"), or update ${conflict.file} under its own name instead.` },
  );
}

function uidsInManifests(text: string): FileUid[] {
  if (!text.includes('grafana_dashboard')) return [];
  // Loaded only on a cache miss: most runs never need the YAML parser here.
  const { parseAllDocuments } = loadYaml();
  const found: FileUid[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('errors' in doc) || doc.errors.length > 0) continue;
    const manifest = doc.toJS() as { kind?: unknown; metadata?: { labels?: Record<string, unknown> }; data?: Record<string, unknown> } | null;
    if (manifest?.kind !== 'ConfigMap' || manifest.metadata?.labels?.grafana_dashboard === undefined) continue;
    for (const [key, value] of Object.entries(manifest.data ?? {})) {
      if (typeof value === 'string') found.push(...uidsInJson(value, key));
    }
  }
  return found;
}

function uidsInJson(text: string, name: string): FileUid[] {
  try {
    const value = JSON.parse(text.replace(/^\ufeff/, '')) as Record<string, unknown> | null;
    const dashboard = value && typeof value.dashboard === 'object' && !('panels' in value) ? (value.dashboard as Record<string, unknown>) : value;
    return dashboard && typeof dashboard.uid === 'string' ? [{ uid: dashboard.uid, name, title: typeof dashboard.title === 'string' ? dashboard.title : '' }] : [];
  } catch {
    return [];
  }
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []));
}

// Dashboard uids already in the repo: Grafana keys dashboards by uid, so a second dashboard with
// the same uid silently replaces the first one.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TaskError } from '../core/errors.ts';

export type DashboardUid = { uid: string; file: string; name: string };

const SCANNED_ROOTS = ['infrastructure', 'clusters'];

// Every dashboard uid under infrastructure/ and clusters/: ConfigMaps labelled grafana_dashboard
// (one entry per data key) and *.json dashboards. Files are repo-relative; `name` is the data key or file name.
export function scanDashboardUids(repoRoot: string, roots: string[] = SCANNED_ROOTS): DashboardUid[] {
  const found: DashboardUid[] = [];
  for (const path of roots.flatMap((root) => listFiles(join(repoRoot, root)))) {
    const file = relative(repoRoot, path).split('\\').join('/');
    if (/\.ya?ml$/.test(path)) found.push(...uidsInManifests(readFileSync(path, 'utf8'), file));
    else if (path.endsWith('.json')) found.push(...uidsInJson(readFileSync(path, 'utf8'), file, file.split('/').pop() ?? file));
  }
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

function uidsInManifests(text: string, file: string): DashboardUid[] {
  if (!text.includes('grafana_dashboard')) return [];
  const found: DashboardUid[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('errors' in doc) || doc.errors.length > 0) continue;
    const manifest = doc.toJS() as { kind?: unknown; metadata?: { labels?: Record<string, unknown> }; data?: Record<string, unknown> } | null;
    if (manifest?.kind !== 'ConfigMap' || manifest.metadata?.labels?.grafana_dashboard === undefined) continue;
    for (const [key, value] of Object.entries(manifest.data ?? {})) {
      if (typeof value === 'string') found.push(...uidsInJson(value, file, key));
    }
  }
  return found;
}

function uidsInJson(text: string, file: string, name: string): DashboardUid[] {
  try {
    const value = JSON.parse(text.replace(/^\ufeff/, '')) as Record<string, unknown> | null;
    const dashboard = value && typeof value.dashboard === 'object' && !('panels' in value) ? (value.dashboard as Record<string, unknown>) : value;
    return dashboard && typeof dashboard.uid === 'string' ? [{ uid: dashboard.uid, file, name }] : [];
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

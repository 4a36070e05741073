// What the repository already holds under a dashboard name: which file, which dashboard (uid,
// title), in which category folder, in which Grafana folder. An update keeps what it does not change.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { TaskError } from '../core/errors.ts';
import { FOLDER_ANNOTATION } from './configmap.ts';
import { CATEGORY_FOLDERS, DASHBOARDS_DIR, existingConfigMaps } from './target.ts';
import type { DashboardUid } from './uids.ts';
import type { Category } from './classify.ts';
import { loadYaml } from '../core/lazy.ts';

export type ExistingDashboard = { file: string; uid: string | undefined; title: string | undefined };


// The ConfigMap file `name` already has (the first of them, if a move left two), with the
// dashboard's uid and title from the repository scan.
export function existingDashboard(repoRoot: string, name: string, scanned: DashboardUid[]): ExistingDashboard | undefined {
  const [file] = existingConfigMaps(repoRoot, name);
  if (!file) return undefined;
  const entry = scanned.find((e) => e.file === file);
  return { file, uid: entry?.uid, title: entry?.title };
}

// Refuses to let `name` take over another dashboard (another uid) unless `replace` is set.
export function assertSameDashboard(
  existing: ExistingDashboard | undefined,
  incoming: { uid: string; title: string; source: string; name: string; replace: boolean },
): void {
  if (!existing?.uid || existing.uid === incoming.uid || incoming.replace) return;
  const old = `${JSON.stringify(existing.title ?? '')} (uid ${existing.uid})`;
  const now = `${JSON.stringify(incoming.title)} (uid ${incoming.uid})`;
  throw new TaskError(`The name ${incoming.name} already holds the dashboard ${old} in ${existing.file}; ${incoming.source} is another dashboard, ${now}.`, {
    hint:
      `Give the new dashboard its own name (npx zx tasks/dashboard-cm.ts <another-name> --file ${incoming.source}), ` +
      `or re-run with --replace to replace ${old} with ${now}.`,
  });
}

// The category a ConfigMap file's folder stands for: its category folder, or 'none' for dashboards/ itself.
export function categoryOfFile(file: string): Category {
  const folder = posix.basename(posix.dirname(file));
  if (posix.dirname(file) === DASHBOARDS_DIR) return 'none';
  return (CATEGORY_FOLDERS as readonly string[]).includes(folder) ? (folder as Category) : 'none';
}

// The grafana_folder annotation of the ConfigMap file at `file`, if it has one.
export function existingFolder(repoRoot: string, file: string): string | undefined {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  // Only the metadata, which comes before the data block in the files this task writes.
  const head = text.slice(0, indexOrEnd(text, '\ndata:'));
  if (!head.includes(FOLDER_ANNOTATION)) return undefined;
  // The way configMapYaml writes it: a JSON-quoted string; anything else goes through the YAML parser.
  const written = new RegExp(`^    ${FOLDER_ANNOTATION}: ("(?:[^"\\\\\\n]|\\\\.)*")$`, 'm').exec(head);
  if (written) return JSON.parse(written[1]) as string;
  const { parseAllDocuments } = loadYaml();
  for (const doc of parseAllDocuments(head)) {
    const value = (doc.toJS() as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata?.annotations?.[FOLDER_ANNOTATION];
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

function indexOrEnd(text: string, search: string): number {
  const index = text.indexOf(search);
  return index < 0 ? text.length : index;
}

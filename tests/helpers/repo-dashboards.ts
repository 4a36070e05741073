// Real dashboards that ship inside the repository, for tests that must run in a plain clone: the
// JSON models held by the ConfigMaps under infrastructure/logging/dashboards/ (Node Exporter Full
// is over the 256 KiB annotation limit) and the exports under tests/fixtures/dashboards/.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './run-task-process.ts';

export type RepoDashboard = Record<string, unknown>;

const CONFIGMAPS_DIR = join(REPO, 'infrastructure/logging/dashboards');
export const FIXTURES_DIR = join(REPO, 'tests/fixtures/dashboards');

// The dashboard the repository's ConfigMap `<category>/<name>-configmap.yaml` holds (id null, as written).
export function repoDashboard(name: string): RepoDashboard {
  const path = repoConfigMaps().find((file) => file.endsWith(`/${name}-configmap.yaml`));
  if (!path) throw new Error(`no ConfigMap for dashboard ${name} under ${CONFIGMAPS_DIR}`);
  const manifest = parse(readFileSync(join(CONFIGMAPS_DIR, path), 'utf8')) as { data: Record<string, string> };
  return JSON.parse(manifest.data[`${name}-dashboard.json`]) as RepoDashboard;
}

// The names of the dashboards the repository's ConfigMaps hold, sorted.
export function repoDashboardNames(): string[] {
  return repoConfigMaps().map((file) => file.replace(/^.*\/|-configmap\.yaml$/g, '')).sort();
}

// The text of the export tests/fixtures/dashboards/`file`.
export function readFixtureDashboard(file: string): string {
  return readFileSync(join(FIXTURES_DIR, file), 'utf8');
}

// `<category>/<file>` of every dashboard ConfigMap, sorted.
function repoConfigMaps(): string[] {
  return readdirSync(CONFIGMAPS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => readdirSync(join(CONFIGMAPS_DIR, dir.name)).filter((file) => file.endsWith('-configmap.yaml')).map((file) => `${dir.name}/${file}`))
    .sort();
}

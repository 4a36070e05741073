// --extract: the repo's dashboard JSON back as a file to paste into Grafana (Dashboard settings
// → JSON Model, or Import), so a dashboard can be edited there and exported again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskError } from '../core/errors.ts';
import { dataKey } from './configmap.ts';
import { dashboardNames, existingConfigMaps } from './target.ts';
import { loadYaml } from '../core/lazy.ts';


// The ConfigMap file holding `name` and its dashboard JSON, pretty-printed with a trailing newline.
export function extractDashboard(repoRoot: string, name: string): { file: string; text: string } {
  const [file] = existingConfigMaps(repoRoot, name);
  if (!file) {
    const names = dashboardNames(repoRoot);
    throw new TaskError(`There is no dashboard ConfigMap named ${name} in the repo.`, {
      hint: names.length > 0 ? `Available dashboards: ${names.join(', ')}` : 'The repo has no dashboard ConfigMaps yet.',
    });
  }
  return { file, text: dashboardJsonFromConfigMap(readFileSync(join(repoRoot, file), 'utf8'), name, file) };
}

// The `<name>-dashboard.json` value of the ConfigMap in `yamlText`, re-indented (its \u escapes are plain JSON).
export function dashboardJsonFromConfigMap(yamlText: string, name: string, file: string): string {
  const key = dataKey(name);
  // Loaded on first use: importing this module (dashboard-cm checks what a name held) needs no YAML parser.
  const { parseAllDocuments } = loadYaml();
  for (const doc of parseAllDocuments(yamlText)) {
    if (!('errors' in doc) || doc.errors.length > 0) continue;
    const value = (doc.toJS() as { data?: Record<string, unknown> } | null)?.data?.[key];
    if (typeof value !== 'string') continue;
    try {
      return `${JSON.stringify(JSON.parse(value), null, 2)}\n`;
    } catch (error) {
      throw new TaskError(`${file}: data key ${key} is not valid JSON (${(error as Error).message}).`, {
        hint: `Restore the file from git (git checkout -- ${file}) and re-run.`,
      });
    }
  }
  throw new TaskError(`${file} has no data key ${key}.`, { hint: `Regenerate it: npx zx tasks/dashboard-cm.ts ${name}` });
}

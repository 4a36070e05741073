// Where a dashboard's ConfigMap lives in the repo: a category folder when the repo uses them.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_FOLDERS, type Category } from './categories.ts';

export const LOGGING_DIR = 'infrastructure/logging';
export const DASHBOARDS_DIR = `${LOGGING_DIR}/dashboards`;
export { CATEGORY_FOLDERS };

// <name>-configmap.yaml
export function configMapFileName(name: string): string {
  return `${name}-configmap.yaml`;
}

// True when any of the category folders exists under the dashboards folder.
export function usesCategoryFolders(repoRoot: string): boolean {
  return CATEGORY_FOLDERS.some((folder) => isDirectory(join(repoRoot, DASHBOARDS_DIR, folder)));
}

// The repo-relative path of the ConfigMap for `name`: dashboards/<category>/ when the repo uses
// category folders or the user chose a category explicitly, dashboards/ otherwise or for 'none'.
export function dashboardTarget(repoRoot: string, name: string, category: Category, explicitCategory = false): string {
  const byCategory = category !== 'none' && (explicitCategory || usesCategoryFolders(repoRoot));
  return byCategory ? `${DASHBOARDS_DIR}/${category}/${configMapFileName(name)}` : `${DASHBOARDS_DIR}/${configMapFileName(name)}`;
}

// Every existing ConfigMap file for `name` (dashboards/ and each category folder), repo-relative.
export function existingConfigMaps(repoRoot: string, name: string): string[] {
  const dirs = [DASHBOARDS_DIR, ...CATEGORY_FOLDERS.map((folder) => `${DASHBOARDS_DIR}/${folder}`)];
  return dirs.map((dir) => `${dir}/${configMapFileName(name)}`).filter((path) => existsSync(join(repoRoot, path)));
}

// ConfigMaps for `name` in another place than `target` (left over after the category changed): move them.
export function staleConfigMaps(repoRoot: string, name: string, target: string): string[] {
  return existingConfigMaps(repoRoot, name).filter((path) => path !== target);
}

// The dashboard names that have a ConfigMap file in the dashboards folders, sorted.
export function dashboardNames(repoRoot: string): string[] {
  const dirs = [DASHBOARDS_DIR, ...CATEGORY_FOLDERS.map((folder) => `${DASHBOARDS_DIR}/${folder}`)];
  const names = dirs.flatMap((dir) => {
    const full = join(repoRoot, dir);
    return isDirectory(full) ? readdirSync(full).filter((f) => f.endsWith('-configmap.yaml')).map((f) => f.slice(0, -'-configmap.yaml'.length)) : [];
  });
  return [...new Set(names)].sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// Everything dashboard-cm decides before it writes: the checked dashboard, where its ConfigMap
// goes, the rendered YAML and the kustomization edits. Reads the repo, writes nothing, so a
// refused input leaves the repo exactly as it was.
import { posix } from 'node:path';
import type { Category } from './classify.ts';
import { classifyDashboard, type Classification } from './classify.ts';
import { readDashboardExport, type Dashboard } from './read-export.ts';
import { validateDashboard } from './validate.ts';
import { checkInputs, libraryPanelWarnings, rewriteInputs } from './inputs.ts';
import { checkDashboardName, checkFolderName } from './name.ts';
import { dashboardTarget, staleConfigMaps, LOGGING_DIR } from './target.ts';
import { assertSameDashboard, categoryOfFile, existingDashboard, existingFolder, type ExistingDashboard } from './existing.ts';
import { assertUniqueUid, scanDashboardUids } from './uids.ts';
import { planDashboardConfigMap, type ConfigMapPlan } from './plan-configmap.ts';
import { dashboardInfo, type DashboardInfo } from './report.ts';
import { dashboardJsonText } from './configmap.ts';
import { planResourceChanges, reachabilityChanges, type FileEdit, type ResourceChange } from '../kustomize/reachability.ts';
import { kustomizationPath } from '../kustomize/kustomization.ts';
import { extractDashboard } from './extract.ts';

export type PrepareOptions = {
  root: string;
  name: string;
  // The export: its absolute path, and the path as the user gave it (for messages).
  path: string;
  file: string;
  category: Category | 'auto';
  // undefined: keep the existing file's folder; '': no folder annotation.
  folder?: string;
  rewriteInputs: boolean;
  // Let the name take over the dashboard it holds when the export has another uid.
  replace?: boolean;
};

export type PreparedDashboard = {
  dashboard: Dashboard;
  source: string;
  target: string;
  stale: string[];
  configMap: ConfigMapPlan;
  kustomizations: FileEdit[];
  // Every kustomization file that lists the ConfigMap on its way up to infrastructure/logging (changed or not).
  kustomizationFiles: string[];
  // What the name held before this run, if anything.
  existing: ExistingDashboard | undefined;
  classification: Classification;
  category: Category;
  info: DashboardInfo;
  warnings: string[];
  // Things the user should know that are not problems (e.g. a category change).
  notes: string[];
};

// Reads, checks and plans one dashboard; throws UsageError/TaskError on any bad input.
export function prepareDashboard(options: PrepareOptions): PreparedDashboard {
  checkDashboardName(options.name);
  if (options.folder !== undefined) checkFolderName(options.folder);
  const source = options.file;
  const exported = readDashboardExport(options.path, source);
  const warnings = [...exported.warnings];
  const notes: string[] = [];
  validateDashboard(exported.dashboard, source);
  let dashboard = exported.dashboard;
  if (options.rewriteInputs) {
    const rewritten = rewriteInputs(dashboard);
    dashboard = rewritten.dashboard;
    for (const [from, to] of Object.entries(rewritten.renamed)) warnings.push(`\${${from}} became the dashboard variable \${${to}}`);
  } else {
    checkInputs(dashboard, source);
  }
  warnings.push(...libraryPanelWarnings(dashboard));
  const scanned = scanDashboardUids(options.root);
  const existing = existingDashboard(options.root, options.name, scanned);
  assertSameDashboard(existing, { uid: String(dashboard.uid), title: String(dashboard.title ?? ''), source, name: options.name, replace: options.replace === true });
  const classification = classifyDashboard(dashboard);
  const { category, target } = placeDashboard(options, classification, existing, notes);
  const stale = staleConfigMaps(options.root, options.name, target);
  assertUniqueUid(scanned, String(dashboard.uid), [target, ...stale], source);
  const folder = options.folder ?? (existing ? existingFolder(options.root, existing.file) : undefined);
  const configMap = planDashboardConfigMap({ name: options.name, dashboard, folder: folder || undefined, sourcePath: source });
  const reachability = reachabilityChanges(options.root, LOGGING_DIR, target);
  const changes: ResourceChange[] = [
    ...stale.map((file) => ({ dir: posix.dirname(file), entry: posix.basename(file), action: 'remove' as const })),
    ...reachability,
  ];
  return {
    dashboard,
    source,
    target,
    stale,
    configMap,
    kustomizations: planResourceChanges(options.root, changes),
    kustomizationFiles: [...new Set(changes.map((change) => repoPath(options.root, change.dir)))],
    existing,
    classification,
    category,
    // The report counts the pretty JSON text, which the ConfigMap holds unless it had to be minified,
    // and names the category the file went to (detected, kept, or --category).
    info: dashboardInfo(dashboard, configMap.minified ? dashboardJsonText(dashboard) : configMap.jsonText, { ...classification, category }),
    warnings,
    notes,
  };
}

// Where the ConfigMap goes. --category decides when given. Otherwise the panels' data sources do,
// except that a dashboard the repository already holds stays where it is while its data sources
// are the same as before (it may have been put there with --category). A move is said plainly.
function placeDashboard(
  options: PrepareOptions,
  classification: Classification,
  existing: ExistingDashboard | undefined,
  notes: string[],
): { category: Category; target: string } {
  const explicit = options.category !== 'auto';
  const category = explicit ? (options.category as Category) : classification.category;
  const target = dashboardTarget(options.root, options.name, category, explicit);
  if (!existing || existing.file === target) return { category, target };
  const before = categoryOfFile(existing.file);
  if (!explicit) {
    const previous = previousPlugins(options.root, options.name);
    if (previous !== undefined && previous.join() === classification.plugins.join()) {
      // (Only a repository with category folders gets here, so the file's folder is its category.)
      return { category: before, target: existing.file };
    }
    const was = previous === undefined ? '' : ` (data sources were ${previous.join(', ') || 'the default'}, now ${classification.plugins.join(', ') || 'the default'})`;
    notes.push(`Category changes from ${before} to ${category}${was}: moving ${existing.file} to ${target}.`);
    return { category, target };
  }
  notes.push(`Category changes from ${before} to ${category} (--category): moving ${existing.file} to ${target}.`);
  return { category, target };
}

// The data source plugins of the dashboard the repository holds under `name`, or undefined when it cannot be read.
function previousPlugins(root: string, name: string): string[] | undefined {
  try {
    return classifyDashboard(JSON.parse(extractDashboard(root, name).text)).plugins;
  } catch {
    return undefined;
  }
}

// The repo-relative path of the kustomization file kustomize reads in repo-relative `dir`.
function repoPath(root: string, dir: string): string {
  return posix.relative(root.split('\\').join('/'), kustomizationPath(posix.join(root.split('\\').join('/'), dir)));
}

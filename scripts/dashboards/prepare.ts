// Everything dashboard-cm decides before it writes: the checked dashboard, where its ConfigMap
// goes, the rendered YAML and the kustomization edits. Reads the repo, writes nothing, so a
// refused input leaves the repo exactly as it was.
import { posix, resolve } from 'node:path';
import type { Category } from './classify.ts';
import { classifyDashboard, type Classification } from './classify.ts';
import { readDashboardExport, type Dashboard } from './read-export.ts';
import { validateDashboard } from './validate.ts';
import { checkInputs, libraryPanelWarnings, rewriteInputs } from './inputs.ts';
import { checkDashboardName, checkFolderName } from './name.ts';
import { dashboardTarget, staleConfigMaps, LOGGING_DIR } from './target.ts';
import { assertUniqueUid, scanDashboardUids } from './uids.ts';
import { planDashboardConfigMap, type ConfigMapPlan } from './plan-configmap.ts';
import { dashboardInfo, type DashboardInfo } from './report.ts';
import { dashboardJsonText } from './configmap.ts';
import { planResourceChanges, reachabilityChanges, type FileEdit, type ResourceChange } from '../kustomize/reachability.ts';

export type PrepareOptions = {
  root: string;
  name: string;
  file: string;
  category: Category | 'auto';
  folder?: string;
  rewriteInputs: boolean;
};

export type PreparedDashboard = {
  dashboard: Dashboard;
  source: string;
  target: string;
  stale: string[];
  configMap: ConfigMapPlan;
  kustomizations: FileEdit[];
  classification: Classification;
  category: Category;
  info: DashboardInfo;
  warnings: string[];
};

// Reads, checks and plans one dashboard; throws UsageError/TaskError on any bad input.
export function prepareDashboard(options: PrepareOptions): PreparedDashboard {
  checkDashboardName(options.name);
  if (options.folder !== undefined) checkFolderName(options.folder);
  const source = options.file;
  const exported = readDashboardExport(resolve(options.root, source), source);
  const warnings = [...exported.warnings];
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
  const classification = classifyDashboard(dashboard);
  const explicit = options.category !== 'auto';
  const category = explicit ? (options.category as Category) : classification.category;
  const target = dashboardTarget(options.root, options.name, category, explicit);
  const stale = staleConfigMaps(options.root, options.name, target);
  assertUniqueUid(scanDashboardUids(options.root), String(dashboard.uid), [target, ...stale], source);
  const configMap = planDashboardConfigMap({ name: options.name, dashboard, folder: options.folder, sourcePath: source });
  const changes: ResourceChange[] = [
    ...stale.map((file) => ({ dir: posix.dirname(file), entry: posix.basename(file), action: 'remove' as const })),
    ...reachabilityChanges(options.root, LOGGING_DIR, target),
  ];
  return {
    dashboard,
    source,
    target,
    stale,
    configMap,
    kustomizations: planResourceChanges(options.root, changes),
    classification,
    category,
    // The report counts the pretty JSON text, which the ConfigMap holds unless it had to be minified,
    // and names the category the file went to (the detected one, or --category).
    info: dashboardInfo(dashboard, configMap.minified ? dashboardJsonText(dashboard) : configMap.jsonText, { ...classification, category }),
    warnings,
  };
}

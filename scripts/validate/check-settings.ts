// Part of check 5 (policy): clusters/<name>/settings.yaml of each validated cluster, as the tasks
// read it (scripts/cluster/settings.ts), so a bad one is found here and not by a task in an incident.
import { fixSettingsHint, MISSING_SETTINGS_HINT, settingsFile, settingsProblems, settingsValue } from '../cluster/settings.ts';
import type { Tree } from '../gitops/tree.ts';
import type { NewFinding } from './findings.ts';

// An error per bad field of each cluster's settings, a warning for a missing file (status, bootstrap
// and disaster-recovery refuse the cluster without it). YAML errors in it are check 1's. With
// `changed`, only the settings files among them.
export function checkClusterSettings(tree: Tree, clusters: readonly string[], changed?: ReadonlySet<string>): NewFinding[] {
  const findings: NewFinding[] = [];
  for (const cluster of clusters) {
    const file = settingsFile(cluster);
    if (changed && !changed.has(file)) continue;
    const parsed = tree.yaml(file);
    if (!parsed) {
      findings.push({ severity: 'warning', check: 'policy', rule: 'policy/cluster-settings-missing', file, line: 1, clusters: [cluster],
        message: `${file} is missing: status, bootstrap and disaster-recovery refuse cluster ${cluster} without it`, hint: MISSING_SETTINGS_HINT });
      continue;
    }
    if (parsed.problems.length > 0) continue;
    for (const problem of settingsProblems(settingsValue(parsed))) {
      findings.push({ severity: 'error', check: 'policy', rule: 'policy/cluster-settings', file, line: parsed.lineOf(0, problem.path) ?? parsed.documents[0]?.line ?? 1, clusters: [cluster],
        message: problem.message, hint: fixSettingsHint(file) });
    }
  }
  return findings;
}

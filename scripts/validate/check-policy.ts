// Check 5, policy: HelmRelease charts pinned to an exact version, no Secret in plain text (SOPS
// encrypted ones pass), and Grafana dashboard ConfigMaps labelled, valid JSON, with unique uids
// and listed in a kustomization that a Flux Kustomization builds.
import { at, isObj } from '../gitops/yaml.ts';
import type { Tree } from '../gitops/tree.ts';
import type { NewFinding } from './findings.ts';
import { lineAt, objectFinding, type CheckedObject } from './objects.ts';

// Exact chart versions only: no ranges, wildcards or partial versions (an optional leading v is
// allowed because some charts, e.g. Envoy Gateway's gateway-helm, are tagged that way).
export const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
export const DASHBOARD_LABEL = 'grafana_dashboard';

// `built` are objects of Flux builds; `standalone` are manifests no Flux Kustomization builds.
export function checkPolicy(tree: Tree, built: readonly CheckedObject[], standalone: readonly CheckedObject[]): NewFinding[] {
  const findings: NewFinding[] = [];
  const uids = new Map<string, { object: CheckedObject; line: number }>();
  for (const object of [...built, ...standalone]) {
    const { doc } = object;
    if (doc.kind === 'HelmRelease' && String(doc.apiVersion).startsWith('helm.toolkit.fluxcd.io/')) findings.push(...chartVersion(tree, object));
    if (doc.kind === 'Secret' && doc.apiVersion === 'v1' && !isObj(doc.sops) && (isObj(doc.data) || isObj(doc.stringData))) {
      findings.push(objectFinding(object, {
        severity: 'error', check: 'policy', rule: 'policy/plain-secret',
        message: 'Secret in plain text in the repository (not SOPS-encrypted)',
        hint: 'encrypt it with `sops --encrypt --in-place <file>` (Flux decrypts it with spec.decryption), or reference it from outside Git',
      }));
    }
    if (doc.kind === 'ConfigMap' && isDashboard(object)) findings.push(...dashboard(tree, object, standalone.includes(object), uids));
  }
  return findings;
}

function chartVersion(tree: Tree, object: CheckedObject): NewFinding[] {
  const chart = at(object.doc, 'spec', 'chart', 'spec');
  if (chart === undefined) return [];
  const version = at(chart, 'version');
  if (typeof version === 'string' && EXACT_VERSION.test(version)) return [];
  const missing = version === undefined || version === '';
  return [objectFinding(object, {
    severity: 'error', check: 'policy', rule: missing ? 'policy/chart-version-missing' : 'policy/chart-version-range',
    line: lineAt(tree, object, missing ? ['spec', 'chart', 'spec', 'chart'] : ['spec', 'chart', 'spec', 'version']),
    message: missing ? `chart ${String(at(chart, 'chart'))} has no version: every reconcile may install the newest one` : `chart version "${String(version)}" is not an exact version`,
    hint: 'pin spec.chart.spec.version to one exact version (e.g. 1.2.3), and update it deliberately',
  })];
}

function isDashboard(object: CheckedObject): boolean {
  const { doc } = object;
  if (at(doc, 'metadata', 'labels', DASHBOARD_LABEL) !== undefined) return true;
  if (String(at(doc, 'metadata', 'name') ?? '').startsWith('grafana-dashboard-')) return true;
  const data = at(doc, 'data');
  return object.file.includes('/dashboards/') && isObj(data) && Object.keys(data).some((key) => key.endsWith('.json'));
}

function dashboard(tree: Tree, object: CheckedObject, standalone: boolean, uids: Map<string, { object: CheckedObject; line: number }>): NewFinding[] {
  const findings: NewFinding[] = [];
  const label = at(object.doc, 'metadata', 'labels', DASHBOARD_LABEL);
  if (label !== '1') {
    findings.push(objectFinding(object, {
      severity: 'error', check: 'policy', rule: 'policy/dashboard-label',
      line: lineAt(tree, object, label === undefined ? ['metadata'] : ['metadata', 'labels', DASHBOARD_LABEL]),
      message: label === undefined ? `dashboard ConfigMap without the ${DASHBOARD_LABEL} label: Grafana's sidecar will not load it` : `${DASHBOARD_LABEL} label is "${String(label)}", the sidecar loads only "1"`,
      hint: `set metadata.labels.${DASHBOARD_LABEL}: "1"`,
    }));
  }
  const data = at(object.doc, 'data');
  for (const [key, text] of Object.entries(isObj(data) ? data : {})) {
    if (!key.endsWith('.json')) continue;
    const line = lineAt(tree, object, ['data', key]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(text));
    } catch (error) {
      findings.push(objectFinding(object, {
        severity: 'error', check: 'policy', rule: 'policy/dashboard-json', line,
        message: `data.${key} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'export the dashboard again (Dashboard settings → JSON Model) and re-run `npx zx tasks/dashboard-cm.ts <name>`',
      }));
      continue;
    }
    const uid = at(parsed, 'uid');
    if (typeof uid !== 'string' || uid === '') continue;
    const first = uids.get(uid);
    if (!first) uids.set(uid, { object, line });
    else if (first.object.file !== object.file || first.line !== line) {
      findings.push(objectFinding(object, {
        severity: 'error', check: 'policy', rule: 'policy/dashboard-uid-duplicate', line,
        message: `dashboard uid "${uid}" is also used in ${first.object.file}:${first.line}: Grafana keeps only one of them`,
        hint: 'give one of the dashboards a new uid',
      }));
    }
  }
  if (standalone) {
    findings.push(objectFinding(object, {
      severity: 'error', check: 'policy', rule: 'policy/dashboard-unlisted',
      message: 'dashboard ConfigMap not listed in any kustomization that a Flux Kustomization builds: it is never applied',
      hint: 'add the file to its folder\'s kustomization.yaml resources (dashboard-cm does this)',
    }));
  }
  return findings;
}

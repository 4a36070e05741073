// Check 5, policy: HelmRelease charts pinned to an exact version (chart-pinning.ts), no Secret in
// plain text (SOPS-encrypted ones pass when every value sops encrypts is ciphertext: sops.ts), and
// Grafana dashboard ConfigMaps labelled, valid JSON, with unique uids and listed in a kustomization
// that a Flux Kustomization builds.
import { at, isObj } from '../gitops/yaml.ts';
import type { Tree } from '../gitops/tree.ts';
import type { NewFinding } from './findings.ts';
import { lineAt, objectFinding, type CheckedObject } from './objects.ts';
import { checkChartPinning } from './chart-pinning.ts';
import { plainSopsValues } from './sops.ts';

export const DASHBOARD_LABEL = 'grafana_dashboard';

// `built` are objects of Flux builds; `standalone` are manifests no Flux Kustomization builds;
// `references` are objects built only for what the others refer to (--changed), not checked.
export function checkPolicy(tree: Tree, built: readonly CheckedObject[], standalone: readonly CheckedObject[], references: readonly CheckedObject[] = []): NewFinding[] {
  const findings: NewFinding[] = checkChartPinning(tree, [...built, ...standalone], references);
  const uids = new Map<string, { object: CheckedObject; line: number }>();
  // The dashboards of `references` only hold their uids: the others must not reuse them.
  for (const object of references) if (object.doc.kind === 'ConfigMap' && isDashboard(object)) dashboardUids(tree, object, () => undefined, uids);
  for (const object of [...built, ...standalone]) {
    const { doc } = object;
    if (doc.kind === 'Secret' && doc.apiVersion === 'v1') findings.push(...secret(tree, object));
    if (doc.kind === 'ConfigMap' && isDashboard(object)) findings.push(...dashboard(tree, object, standalone.includes(object), uids));
  }
  return findings;
}

// A Secret with values is in plain text unless sops manages it; then each value sops's rules encrypt
// must be ciphertext. NOTE: messages name keys, never values.
function secret(tree: Tree, object: CheckedObject): NewFinding[] {
  const { doc } = object;
  const plain = plainSopsValues(doc);
  if (plain === undefined) {
    if (!isObj(doc.data) && !isObj(doc.stringData)) return [];
    return [objectFinding(object, {
      severity: 'error', check: 'policy', rule: 'policy/plain-secret',
      message: 'Secret in plain text in the repository (not SOPS-encrypted)',
      hint: 'encrypt it with `sops --encrypt --in-place <file>` (Flux decrypts it with spec.decryption), or reference it from outside Git',
    })];
  }
  return plain.map(({ field, key, generated }) => objectFinding(object, {
    severity: 'error', check: 'policy', rule: 'policy/sops-plain-value',
    line: generated ? object.line : lineAt(tree, object, [field, key]),
    message: generated
      ? `${field}.${key} of a Secret generated from a sops-encrypted file is not SOPS ciphertext: its value is in plain text in the repository`
      : `${field}.${key} is not SOPS ciphertext although the Secret is sops-encrypted: its value is in plain text in the repository`,
    hint: 'encrypt the file again (`sops --encrypt --in-place <file>`; edit encrypted files with `sops <file>`), and rotate the value: Git history keeps it',
  }));
}

function isDashboard(object: CheckedObject): boolean {
  const { doc } = object;
  if (at(doc, 'metadata', 'labels', DASHBOARD_LABEL) !== undefined) return true;
  if (String(at(doc, 'metadata', 'name') ?? '').startsWith('grafana-dashboard-')) return true;
  const data = at(doc, 'data');
  return object.file.includes('/dashboards/') && isObj(data) && Object.keys(data).some((key) => key.endsWith('.json'));
}

// The JSON of each data.*.json of a dashboard ConfigMap: `report` gets a finding for invalid JSON
// and for a uid already in `uids` (from another place); new uids are added to `uids`.
function dashboardUids(tree: Tree, object: CheckedObject, report: (finding: NewFinding) => void, uids: Map<string, { object: CheckedObject; line: number }>): void {
  const data = at(object.doc, 'data');
  for (const [key, text] of Object.entries(isObj(data) ? data : {})) {
    if (!key.endsWith('.json')) continue;
    const line = lineAt(tree, object, ['data', key]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(text));
    } catch (error) {
      report(objectFinding(object, {
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
      report(objectFinding(object, {
        severity: 'error', check: 'policy', rule: 'policy/dashboard-uid-duplicate', line,
        message: `dashboard uid "${uid}" is also used in ${first.object.file}:${first.line}: Grafana keeps only one of them`,
        hint: 'give one of the dashboards a new uid',
      }));
    }
  }
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
  dashboardUids(tree, object, (finding) => findings.push(finding), uids);
  if (standalone) {
    findings.push(objectFinding(object, {
      severity: 'error', check: 'policy', rule: 'policy/dashboard-unlisted',
      message: 'dashboard ConfigMap not listed in any kustomization that a Flux Kustomization builds: it is never applied',
      hint: 'add the file to its folder\'s kustomization.yaml resources (dashboard-cm does this)',
    }));
  }
  return findings;
}

// HelmRelease charts pinned to one exact version: `spec.chart.spec.version`, or the source a
// `spec.chartRef` names: an OCIRepository's `ref` (digest, exact tag or exact semver) or a
// HelmChart's `version`.
import { isFluxSource } from '../gitops/flux.ts';
import { describeObject, nameOf, namespaceOf, type Tree } from '../gitops/tree.ts';
import { at, isObj } from '../gitops/yaml.ts';
import type { NewFinding } from './findings.ts';
import { lineAt, objectFinding, type CheckedObject } from './objects.ts';

// Exact chart versions only: no ranges, wildcards or partial versions (an optional leading v is
// allowed because some charts, e.g. Envoy Gateway's gateway-helm, are tagged that way).
export const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const VERSION_HINT = 'pin spec.chart.spec.version to one exact version (e.g. 1.2.3), and update it deliberately';
const OCI_HINT = 'pin the OCIRepository\'s spec.ref to a digest (sha256:…), or to one exact version (tag: 1.2.3, or semver: "1.2.3"), and update it deliberately';

// The findings about every HelmRelease of `objects` whose chart is not pinned. A chartRef names a
// source of the HelmRelease's cluster among `objects` and `references` (the sources of
// Kustomizations built only for reference, or not built, as validate hands them), or for a
// standalone HelmRelease another standalone manifest; namespaces default as the graph check's do
// (the HelmRelease's own for the ref, flux-system for a source).
export function checkChartPinning(tree: Tree, objects: readonly CheckedObject[], references: readonly CheckedObject[] = []): NewFinding[] {
  const sources = new Map<string, CheckedObject>();
  for (const object of [...objects, ...references]) if (isFluxSource(object.doc)) sources.set(sourceKey(object.cluster, object.doc.kind, namespaceOf(object.doc) ?? 'flux-system', nameOf(object.doc)), object);
  const find = (cluster: string | undefined, kind: string, namespace: string, name: string) => sources.get(sourceKey(cluster, kind, namespace, name));
  const findings: NewFinding[] = [];
  for (const object of objects) {
    if (object.doc.kind !== 'HelmRelease' || !String(object.doc.apiVersion).startsWith('helm.toolkit.fluxcd.io/')) continue;
    findings.push(...chartVersion(tree, object));
    const ref = at(object.doc, 'spec', 'chartRef');
    if (!isObj(ref) || (ref.kind !== 'OCIRepository' && ref.kind !== 'HelmChart')) continue;
    const source = find(object.cluster, ref.kind, String(ref.namespace ?? namespaceOf(object.doc) ?? ''), String(ref.name));
    if (source) findings.push(...(ref.kind === 'OCIRepository' ? ociRef(tree, source, object) : helmChartVersion(tree, source, object)));
  }
  return findings;
}

const sourceKey = (cluster: string | undefined, kind: unknown, namespace: string, name: string) => `${cluster ?? ''}|${String(kind)} ${namespace}/${name}`;

function chartVersion(tree: Tree, object: CheckedObject): NewFinding[] {
  const chart = at(object.doc, 'spec', 'chart', 'spec');
  if (chart === undefined) return [];
  // A chart read from a GitRepository or a Bucket is a folder at the source's revision: Flux
  // ignores `version` for it (the source's ref is what pins it).
  if (['GitRepository', 'Bucket'].includes(String(at(chart, 'sourceRef', 'kind')))) return [];
  const version = at(chart, 'version');
  if (typeof version === 'string' && EXACT_VERSION.test(version)) return [];
  const missing = version === undefined || version === '';
  return [objectFinding(object, {
    severity: 'error', check: 'policy', rule: missing ? 'policy/chart-version-missing' : 'policy/chart-version-range',
    line: lineAt(tree, object, missing ? ['spec', 'chart', 'spec', 'chart'] : ['spec', 'chart', 'spec', 'version']),
    message: missing ? `chart ${String(at(chart, 'chart'))} has no version: every reconcile may install the newest one` : `chart version "${String(version)}" is not an exact version`,
    hint: VERSION_HINT,
  })];
}

// A HelmChart's `version` follows the HelmRelease's rule (the CRD's default, `*`, is the newest).
function helmChartVersion(tree: Tree, chart: CheckedObject, release: CheckedObject): NewFinding[] {
  const version = at(chart.doc, 'spec', 'version');
  if (typeof version === 'string' && EXACT_VERSION.test(version)) return [];
  const missing = version === undefined || version === '';
  const what = `chart ${String(at(chart.doc, 'spec', 'chart'))} of ${describeObject(chart.doc)} (the chartRef of ${describeObject(release.doc)})`;
  return [objectFinding(chart, {
    severity: 'error', check: 'policy', rule: missing ? 'policy/chart-version-missing' : 'policy/chart-version-range',
    line: lineAt(tree, chart, missing ? ['spec', 'chart'] : ['spec', 'version']),
    message: missing ? `${what} has no version: every reconcile may install the newest one` : `${what}: version "${String(version)}" is not an exact version`,
    hint: 'pin the HelmChart\'s spec.version to one exact version (e.g. 1.2.3), and update it deliberately',
  })];
}

// source-controller picks an OCIRepository's artifact by `ref.digest`, else `ref.semver`, else
// `ref.tag`, else the `latest` tag.
function ociRef(tree: Tree, repository: CheckedObject, release: CheckedObject): NewFinding[] {
  const ref = at(repository.doc, 'spec', 'ref');
  const field = (key: string) => (isObj(ref) && ref[key] !== undefined && ref[key] !== '' ? String(ref[key]) : undefined);
  const what = `${describeObject(repository.doc)} (the chartRef of ${describeObject(release.doc)})`;
  const finding = (path: string[], message: string) => [objectFinding(repository, {
    severity: 'error', check: 'policy', rule: 'policy/chart-oci-unpinned', line: lineAt(tree, repository, path), message, hint: OCI_HINT,
  })];
  if (field('digest') !== undefined) return [];
  const semver = field('semver');
  if (semver !== undefined) return EXACT_VERSION.test(semver) ? [] : finding(['spec', 'ref', 'semver'], `${what}: ref.semver "${semver}" is not an exact version`);
  const tag = field('tag');
  if (tag !== undefined) return EXACT_VERSION.test(tag) ? [] : finding(['spec', 'ref', 'tag'], `${what}: ref.tag "${tag}" is not an exact version, the tag can move`);
  return finding(isObj(ref) ? ['spec', 'ref'] : ['spec', 'url'], `${what} has no ref.digest, ref.semver or ref.tag: every reconcile pulls the latest tag`);
}

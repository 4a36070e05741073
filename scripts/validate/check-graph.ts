// Check 4, the graph of each cluster: sourceRefs and dependsOn targets exist, dependsOn has no
// cycle (each one is reported), each Kustomization's path exists, and no object is defined by two
// Kustomizations.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dependencyGraph, dependsOnOf, isFluxSource, isHelmRelease, refKey, sourceRefOf, type ClusterModel, type FluxKustomization } from '../gitops/flux.ts';
import { findCycles } from '../gitops/graph.ts';
import { describeObject, nameOf, namespaceOf, type Tree } from '../gitops/tree.ts';
import type { NewFinding } from './findings.ts';
import { lineAt, objectFinding, type CheckedObject } from './objects.ts';

// The findings about the Kustomizations of `model` themselves (no build needed).
export function checkKustomizations(tree: Tree, model: ClusterModel, sources: ReadonlySet<string>): NewFinding[] {
  const findings: NewFinding[] = [];
  const ids = new Set(model.kustomizations.map((k) => k.id));
  const at = (k: FluxKustomization, path: (string | number)[]) => tree.yaml(k.manifest.file)?.lineOf(k.manifest.index, path) ?? k.manifest.line;
  const base = (k: FluxKustomization) => ({
    check: 'graph' as const, file: k.manifest.file, object: `Kustomization ${k.id}`, kustomization: k.id, clusters: [model.cluster],
  });
  for (const k of model.kustomizations) {
    k.dependsOn.forEach((dep, i) => {
      if (ids.has(dep)) return;
      findings.push({ ...base(k), severity: 'error', rule: 'graph/missing-dependency', line: at(k, ['spec', 'dependsOn', i]),
        message: `dependsOn ${dep}: no such Kustomization in cluster ${model.cluster}`, hint: 'fix the name (or namespace), or add the Kustomization it should wait for' });
    });
    if (k.sourceRef && !sources.has(refKey(k.sourceRef))) {
      findings.push({ ...base(k), severity: 'error', rule: 'graph/missing-source', line: at(k, ['spec', 'sourceRef']),
        message: `sourceRef ${refKey(k.sourceRef)}: no such source in cluster ${model.cluster}`, hint: 'fix spec.sourceRef, or add the source to the cluster' });
    }
    if (k.local && (k.path === undefined || k.path.startsWith('..') || !existsSync(join(tree.root, k.path)))) {
      findings.push({ ...base(k), severity: 'error', rule: 'graph/missing-path', line: at(k, ['spec', 'path']),
        message: `path ${String(k.path)} does not exist in the repository`, hint: 'fix spec.path (relative to the repository root, e.g. ./infrastructure/logging)' });
    }
  }
  for (const cycle of findCycles(dependencyGraph(model))) {
    const first = model.kustomizations.find((k) => k.id === cycle[0])!;
    findings.push({ ...base(first), severity: 'error', rule: 'graph/dependency-cycle', line: at(first, ['spec', 'dependsOn', Math.max(0, first.dependsOn.indexOf(cycle[1]))]),
      message: `dependsOn cycle: ${cycle.join(' -> ')}; none of them will ever be applied`, hint: 'remove one dependsOn entry of the cycle' });
  }
  return findings;
}

// The sources a cluster defines, as `Kind namespace/name`: the built ones and `unbuilt`, the sources
// and HelmReleases of the Kustomizations not built (--changed builds only some; a build can fail),
// as their files have them (--changed builds those whose build may rename what the checked ones name).
export function sourceKeys(built: readonly CheckedObject[], unbuilt: readonly CheckedObject[]): Set<string> {
  const docs = [...built, ...unbuilt].map((o) => o.doc).filter(isFluxSource);
  return new Set(docs.map((doc) => `${String(doc.kind)} ${namespaceOf(doc) ?? 'flux-system'}/${nameOf(doc)}`));
}

// The findings about the built objects of one cluster: duplicates (each Kustomization after the first
// that defines an object gets its own finding, naming the first), HelmRelease sources and dependsOn.
// `unbuilt`: as for sourceKeys. With --changed, `checked` are the Kustomizations whose objects
// are checked: a duplicate goes to their side, and `written` (objects of Kustomizations not built,
// as their files have them) count as defined too.
export function checkBuiltObjects(tree: Tree, cluster: string, built: readonly CheckedObject[], unbuilt: readonly CheckedObject[], sources: ReadonlySet<string>,
  changed?: { checked: ReadonlySet<string>; written: readonly CheckedObject[] }): NewFinding[] {
  const findings: NewFinding[] = [];
  const seen = new Map<string, CheckedObject>();
  for (const object of [...built, ...(changed?.written ?? [])]) {
    const key = identity(object);
    const first = seen.get(key);
    if (!first) seen.set(key, object);
    else if (first.kustomization !== object.kustomization) {
      const swap = changed !== undefined && !changed.checked.has(object.kustomization ?? '') && changed.checked.has(first.kustomization ?? '');
      const [here, there] = swap ? [first, object] : [object, first];
      findings.push(objectFinding(here, { severity: 'error', check: 'graph', rule: 'graph/duplicate-object',
        message: `${describeObject(here.doc)} is defined by Kustomization ${here.kustomization} (here, ${here.file}:${here.line}) and by Kustomization ${there.kustomization} (${there.file}:${there.line}): the two fight over it`,
        hint: 'keep the object in one Kustomization only' }));
    }
  }
  const releases = releaseKeys(built, unbuilt);
  for (const object of built) {
    if (object.doc.kind !== 'HelmRelease') continue;
    const namespace = namespaceOf(object.doc) ?? '';
    const ref = sourceRefOf(object.doc, namespace);
    if (ref && !sources.has(refKey(ref))) {
      const chartRef = object.doc.spec && (object.doc.spec as Record<string, unknown>).chartRef !== undefined;
      findings.push(objectFinding(object, { severity: 'error', check: 'graph', rule: 'graph/missing-source',
        line: lineAt(tree, object, chartRef ? ['spec', 'chartRef'] : ['spec', 'chart', 'spec', 'sourceRef']),
        message: `sourceRef ${refKey(ref)}: no such source in cluster ${cluster}`, hint: 'fix the sourceRef (kind, name, namespace), or add the source' }));
    }
    dependsOnOf(object.doc, namespace).forEach((dep, i) => {
      if (releases.has(dep) || releases.has(`*/${dep.slice(dep.indexOf('/') + 1)}`)) return;
      findings.push(objectFinding(object, { severity: 'error', check: 'graph', rule: 'graph/missing-dependency',
        line: lineAt(tree, object, ['spec', 'dependsOn', i]),
        message: `dependsOn ${dep}: no such HelmRelease in cluster ${cluster}`, hint: 'fix the name (or namespace), or add the HelmRelease it should wait for' }));
    });
  }
  return findings;
}

// The HelmReleases a dependsOn may name, as `namespace/name`: the built ones and `unbuilt`
// (see sourceKeys), where a release whose file gives no namespace is `*/name`.
function releaseKeys(built: readonly CheckedObject[], unbuilt: readonly CheckedObject[]): Set<string> {
  const keys = new Set(built.filter((o) => isHelmRelease(o.doc)).map((o) => `${namespaceOf(o.doc) ?? ''}/${nameOf(o.doc)}`));
  for (const { doc } of unbuilt) if (isHelmRelease(doc)) keys.add(`${namespaceOf(doc) ?? '*'}/${nameOf(doc)}`);
  return keys;
}

// group/Kind/namespace/name: what the API server keys an object by.
function identity(object: CheckedObject): string {
  const apiVersion = String(object.doc.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${group}/${String(object.doc.kind)}/${namespaceOf(object.doc) ?? ''}/${nameOf(object.doc)}`;
}

// The Flux objects of each cluster, read statically from the tree: starting at clusters/<name>,
// every Flux Kustomization and the files its path builds, the sources and the HelmReleases found
// on the way, `dependsOn` as ids with a topological order, and which Kustomization builds a file.
import { findCycle, topologicalOrder } from './graph.ts';
import { fluxPathInputs, normalizeDir, type Inputs } from './inputs.ts';
import { nameOf, namespaceOf, type Manifest, type Tree } from './tree.ts';
import { at, type Obj } from './yaml.ts';

export const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'HelmChart', 'ExternalArtifact'];

export type SourceRef = { kind: string; name: string; namespace: string };

export type FluxKustomization = {
  // `namespace/name`.
  id: string;
  name: string;
  namespace: string;
  manifest: Manifest;
  // spec.path repo-relative (`./infrastructure/logging` → `infrastructure/logging`), or undefined when unset.
  path: string | undefined;
  sourceRef: SourceRef | undefined;
  // Whether the path is read from this repository (the cluster's own GitRepository).
  local: boolean;
  dependsOn: string[];
  // What building the path reads; empty when the path is not local or does not exist.
  inputs: Inputs;
};

export type ClusterModel = {
  cluster: string;
  // The source the cluster syncs from (the root Kustomization's sourceRef): `Kind namespace/name`.
  rootSource: string | undefined;
  kustomizations: FluxKustomization[];
  sources: Manifest[];
  helmReleases: Manifest[];
  // Every file reached from clusters/<name>, with the Kustomization that builds it.
  files: { file: string; owner: string }[];
  // Every manifest of those files (parsed on first use).
  readonly manifests: { manifest: Manifest; owner: string }[];
};

export const isFluxKustomization = (doc: Obj): boolean =>
  doc.kind === 'Kustomization' && String(doc.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/');
export const isFluxSource = (doc: Obj): boolean =>
  SOURCE_KINDS.includes(String(doc.kind)) && String(doc.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/');
export const isHelmRelease = (doc: Obj): boolean =>
  doc.kind === 'HelmRelease' && String(doc.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/');

export const refKey = (ref: SourceRef): string => `${ref.kind} ${ref.namespace}/${ref.name}`;
export const manifestKey = (m: Manifest): string => `${String(m.doc.kind)} ${namespaceOf(m.doc) ?? ''}/${nameOf(m.doc)}`;

// The model of clusters/<cluster>: the root Kustomization builds clusters/<cluster>, and every
// Kustomization found in what a local Kustomization builds is followed in turn.
export function clusterModel(tree: Tree, cluster: string): ClusterModel {
  const clusterDir = `clusters/${cluster}`;
  const kustomizations: FluxKustomization[] = [];
  const reached: ClusterModel['files'] = [];
  const fluxManifests: Manifest[] = [];
  const seenFiles = new Set<string>();
  const rootInputs = fluxPathInputs(tree.root, clusterDir, tree.entries, tree.kind);
  const rootManifests = [...rootInputs.files].sort().flatMap(tree.manifests);
  const rootDoc = rootManifests.find((m) => isFluxKustomization(m.doc) && at(m.doc, 'spec', 'path') !== undefined && normalizeDir(String(at(m.doc, 'spec', 'path'))) === clusterDir);
  const rootRef = rootDoc ? sourceRefOf(rootDoc.doc, namespaceOf(rootDoc.doc) ?? 'flux-system') : undefined;
  const rootId = rootDoc ? `${namespaceOf(rootDoc.doc) ?? 'flux-system'}/${nameOf(rootDoc.doc)}` : '(cluster)';

  const visit = (files: Iterable<string>, owner: string, ownerNamespace: string) => {
    for (const file of [...files].sort()) {
      if (!seenFiles.has(`${owner} ${file}`)) {
        seenFiles.add(`${owner} ${file}`);
        reached.push({ file, owner });
        // NOTE: speed: only files that mention a Flux API group are parsed here.
        if (!tree.mayMention(file, 'toolkit.fluxcd.io')) continue;
        for (const manifest of tree.manifests(file)) {
          fluxManifests.push(manifest);
          if (isFluxKustomization(manifest.doc)) addKustomization(manifest, ownerNamespace);
        }
      }
    }
  };
  const addKustomization = (manifest: Manifest, defaultNamespace: string) => {
    const namespace = namespaceOf(manifest.doc) ?? defaultNamespace;
    const id = `${namespace}/${nameOf(manifest.doc)}`;
    if (kustomizations.some((k) => k.id === id && k.manifest.file === manifest.file && k.manifest.index === manifest.index)) return;
    const sourceRef = sourceRefOf(manifest.doc, namespace);
    const rawPath = at(manifest.doc, 'spec', 'path');
    const path = typeof rawPath === 'string' ? normalizeDir(rawPath) : rawPath === undefined ? '.' : undefined;
    const local = sourceRef !== undefined && rootRef !== undefined && refKey(sourceRef) === refKey(rootRef);
    const exists = path !== undefined && !path.startsWith('..') && tree.kind(path) !== undefined;
    const components = at(manifest.doc, 'spec', 'components');
    const componentPaths = Array.isArray(components) ? components.filter((c): c is string => typeof c === 'string') : [];
    const inputs = local && exists ? fluxPathInputs(tree.root, path, tree.entries, tree.kind, componentPaths) : { dirs: new Set<string>(), files: new Set<string>(), missing: [], folders: new Set<string>() };
    const k: FluxKustomization = { id, name: nameOf(manifest.doc), namespace, manifest, path, sourceRef, local, dependsOn: dependsOnOf(manifest.doc, namespace), inputs };
    kustomizations.push(k);
    const target = at(manifest.doc, 'spec', 'targetNamespace');
    // The root Kustomization's own files were already visited as the cluster's entry point.
    if (path !== clusterDir) visit(inputs.files, id, typeof target === 'string' ? target : namespace);
  };

  visit(rootInputs.files, rootId, 'flux-system');
  // The root first: it applies everything else.
  kustomizations.sort((a, b) => Number(b.path === clusterDir) - Number(a.path === clusterDir));
  let manifests: ClusterModel['manifests'] | undefined;
  return {
    cluster,
    rootSource: rootRef ? refKey(rootRef) : undefined,
    kustomizations,
    sources: unique(fluxManifests.filter((m) => isFluxSource(m.doc))),
    helmReleases: unique(fluxManifests.filter((m) => isHelmRelease(m.doc))),
    files: reached,
    get manifests() {
      manifests ??= reached.flatMap(({ file, owner }) => tree.manifests(file).map((manifest) => ({ manifest, owner })));
      return manifests;
    },
  };
}

// The models of every cluster of the tree.
export function clusterModels(tree: Tree, clusters: readonly string[] = tree.clusters): ClusterModel[] {
  return clusters.map((cluster) => clusterModel(tree, cluster));
}

// dependsOn entries as ids; a missing namespace is the dependent's own.
export function dependsOnOf(doc: Obj, namespace: string): string[] {
  const deps = at(doc, 'spec', 'dependsOn');
  return Array.isArray(deps) ? deps.map((d) => `${String(at(d, 'namespace') ?? namespace)}/${String(at(d, 'name'))}`) : [];
}

// spec.sourceRef (spec.chart.spec.sourceRef for a HelmRelease chart template); a missing namespace is the object's own.
export function sourceRefOf(doc: Obj, namespace: string): SourceRef | undefined {
  const ref = at(doc, 'spec', 'sourceRef') ?? at(doc, 'spec', 'chart', 'spec', 'sourceRef') ?? at(doc, 'spec', 'chartRef');
  if (ref === undefined) return undefined;
  return { kind: String(at(ref, 'kind')), name: String(at(ref, 'name')), namespace: String(at(ref, 'namespace') ?? namespace) };
}

// dependsOn as a graph of ids.
export function dependencyGraph(model: ClusterModel): Map<string, string[]> {
  return new Map(model.kustomizations.map((k) => [k.id, k.dependsOn]));
}

// The Kustomization ids in apply order (dependencies first); undefined when dependsOn has a cycle.
export function applyOrder(model: ClusterModel): string[] | undefined {
  const graph = dependencyGraph(model);
  return findCycle(graph) ? undefined : topologicalOrder(graph);
}

// The Kustomizations (of every model given) whose build reads repo-relative `file`.
export function kustomizationsBuilding(models: readonly ClusterModel[], file: string): { cluster: string; kustomization: FluxKustomization }[] {
  return models.flatMap((model) =>
    model.kustomizations.filter((k) => k.inputs.files.has(file)).map((kustomization) => ({ cluster: model.cluster, kustomization })),
  );
}

function unique(manifests: Manifest[]): Manifest[] {
  const seen = new Set<string>();
  return manifests.filter((m) => {
    const key = `${m.file}#${m.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

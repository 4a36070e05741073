// The objects validate checks: each built object (or standalone manifest) with the file and line
// it came from, the cluster and the Flux Kustomization that built it.
import type { Manifest, Tree } from '../gitops/tree.ts';
import { describeObject, nameOf } from '../gitops/tree.ts';
import type { Obj } from '../gitops/yaml.ts';
import type { NewFinding } from './findings.ts';

export type CheckedObject = {
  doc: Obj;
  file: string;
  // The document's index in `file`, when the object was matched to one.
  index: number | undefined;
  line: number;
  cluster?: string;
  // `namespace/name` of the Flux Kustomization that built it; undefined for a standalone manifest.
  kustomization?: string;
};

// The source document of a built object among a build's input manifests: the same kind and name,
// else the longest name the build prefixed or suffixed; else the only document of that kind.
export function matchManifest(manifests: readonly Manifest[], doc: Obj): Manifest | undefined {
  const kind = doc.kind;
  const name = nameOf(doc);
  const sameKind = manifests.filter((m) => m.doc.kind === kind);
  const exact = sameKind.find((m) => nameOf(m.doc) === name);
  if (exact) return exact;
  let best: Manifest | undefined;
  for (const m of sameKind) {
    const own = nameOf(m.doc);
    if (own !== '' && name.includes(own) && own.length > (best ? nameOf(best.doc).length : 0)) best = m;
  }
  return best ?? (sameKind.length === 1 ? sameKind[0] : undefined);
}

// The line of the value at `path` in the object's source, or the object's own line.
export function lineAt(tree: Tree, object: CheckedObject, path: readonly (string | number)[]): number {
  if (object.index === undefined) return object.line;
  return tree.yaml(object.file)?.lineOf(object.index, path) ?? object.line;
}

// A finding about `object`, with its file, cluster and Kustomization filled in.
export function objectFinding(object: CheckedObject, finding: Omit<NewFinding, 'file' | 'line' | 'object' | 'clusters' | 'kustomization'> & { line?: number }): NewFinding {
  return {
    ...finding,
    file: object.file,
    line: finding.line ?? object.line,
    object: describeObject(object.doc),
    ...(object.kustomization ? { kustomization: object.kustomization } : {}),
    clusters: object.cluster ? [object.cluster] : [],
  };
}

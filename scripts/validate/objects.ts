// The objects validate checks: each built object (or standalone manifest) with the file and line
// it came from, the cluster and the Flux Kustomization that built it.
import type { Manifest, Tree } from '../gitops/tree.ts';
import { describeObject, nameOf, namespaceOf } from '../gitops/tree.ts';
import { isObj, type Obj } from '../gitops/yaml.ts';
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

// The names a build gives to what it reads: the namePrefix and nameSuffix values of the Flux
// Kustomization and of every kustomization file of the build.
export type Affixes = { prefixes: string[]; suffixes: string[] };

// A configMapGenerator or secretGenerator entry of a kustomization file; `path` leads to its name.
export type Generator = { kind: 'ConfigMap' | 'Secret'; name: string; namespace?: string; file: string; index: number; path: (string | number)[] };

const GENERATORS = [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const;

// The affixes of a build: `spec` is the Flux Kustomization's spec, `kustomizations` the
// kustomization files it reads.
export function affixesOf(spec: unknown, kustomizations: readonly Manifest[]): Affixes {
  const affixes: Affixes = { prefixes: [], suffixes: [] };
  for (const source of [spec, ...kustomizations.map((m) => m.doc)]) {
    if (!isObj(source)) continue;
    if (typeof source.namePrefix === 'string' && source.namePrefix !== '') affixes.prefixes.push(source.namePrefix);
    if (typeof source.nameSuffix === 'string' && source.nameSuffix !== '') affixes.suffixes.push(source.nameSuffix);
  }
  return affixes;
}

// The generator entries of `kustomizations` (kustomization files' documents).
export function generatorsOf(kustomizations: readonly Manifest[]): Generator[] {
  return kustomizations.flatMap((m) => GENERATORS.flatMap(([key, kind]) => {
    const entries = m.doc[key];
    if (!Array.isArray(entries)) return [];
    return entries.flatMap((entry, i) => (isObj(entry) && typeof entry.name === 'string' && entry.name !== ''
      ? [{ kind, name: entry.name, ...(typeof entry.namespace === 'string' ? { namespace: entry.namespace } : {}), file: m.file, index: m.index, path: [key, i, 'name'] }] : []));
  }));
}

// The source document of a built object among a build's input manifests: the same kind and name,
// else the longest name the build prefixed or suffixed (see madeFrom); among those, the one in the
// object's namespace (see inNamespace). Never a guess: an object no manifest names is no manifest's.
export function matchManifest(manifests: readonly Manifest[], doc: Obj, affixes: Affixes): Manifest | undefined {
  const name = nameOf(doc);
  const sameKind = manifests.filter((m) => m.doc.kind === doc.kind);
  const sameName = sameKind.filter((m) => nameOf(m.doc) === name);
  const candidates = sameName.length > 0 ? sameName : longest(sameKind.filter((m) => madeFrom(name, nameOf(m.doc), affixes, false)), (m) => nameOf(m.doc));
  return inNamespace(candidates, namespaceOf(doc), (m) => namespaceOf(m.doc));
}

// The generator entry that made a built ConfigMap or Secret: same kind, its name with the build's
// affixes and kustomize's hash suffix (the longest such name when several fit), in the object's namespace.
export function matchGenerator(generators: readonly Generator[], doc: Obj, affixes: Affixes): Generator | undefined {
  const name = nameOf(doc);
  return inNamespace(longest(generators.filter((g) => g.kind === doc.kind && madeFrom(name, g.name, affixes, true)), (g) => g.name), namespaceOf(doc), (g) => g.namespace);
}

// Of the candidates for a built object: the one whose namespace is the object's, else one without a
// namespace (the build gave it one), else the first (a transformation moved it).
function inNamespace<T>(candidates: readonly T[], namespace: string | undefined, namespaceOfItem: (item: T) => string | undefined): T | undefined {
  return candidates.find((c) => namespaceOfItem(c) === namespace) ?? candidates.find((c) => namespaceOfItem(c) === undefined) ?? candidates[0];
}

// Whether a build could name `own` as `name`: prefixes before it and suffixes after it (each a run
// of the build's affixes, nested kustomizations adding theirs), then, when `hashed` (a generator's
// object), optionally kustomize's `-<10 characters>` content hash.
function madeFrom(name: string, own: string, affixes: Affixes, hashed: boolean): boolean {
  if (own === '') return false;
  const unhashed = hashed && /-[a-z0-9]{10}$/.test(name) ? [name, name.slice(0, -11)] : [name];
  return unhashed.some((candidate) => {
    for (let at = candidate.indexOf(own); at >= 0; at = candidate.indexOf(own, at + 1)) {
      if (runOf(candidate.slice(0, at), affixes.prefixes) && runOf(candidate.slice(at + own.length), affixes.suffixes)) return true;
    }
    return false;
  });
}

// Whether `text` is a concatenation of `parts` (any order, repeats allowed; '' is).
function runOf(text: string, parts: readonly string[]): boolean {
  const ends = [true];
  for (let end = 1; end <= text.length; end++) {
    ends[end] = parts.some((part) => part.length <= end && ends[end - part.length] && text.startsWith(part, end - part.length));
  }
  return ends[text.length];
}

// The items with the longest name (in their order).
function longest<T>(items: readonly T[], nameOfItem: (item: T) => string): T[] {
  const length = Math.max(0, ...items.map((item) => nameOfItem(item).length));
  return items.filter((item) => nameOfItem(item).length === length);
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

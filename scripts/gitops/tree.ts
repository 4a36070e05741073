// The GitOps tree on disk: its YAML files under infrastructure/ and clusters/, each parsed once,
// and the clusters (the folders of clusters/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { at, objectsOf, parseYamlFile, type Obj, type YamlFile } from './yaml.ts';

export const TREE_DIRS = ['infrastructure', 'clusters'] as const;

// One object document of the tree, with where it is.
export type Manifest = { file: string; line: number; index: number; doc: Obj };

export type Tree = {
  root: string;
  // Every .yaml/.yml file under the tree folders, repo-relative with posix separators, sorted.
  files: string[];
  clusters: string[];
  // A repo-relative YAML file parsed (once, also outside the tree folders), or undefined when there is none.
  yaml(file: string): YamlFile | undefined;
  manifests(file: string): Manifest[];
  // Every object document in files under `dir` (the dir itself included).
  manifestsUnder(dir: string): Manifest[];
};

// Every file under `dir` (repo-relative, posix separators), sorted; nothing when it does not exist.
export function walkFiles(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) return [];
  return readdirSync(full).sort().flatMap((name) => {
    if (name.startsWith('.')) return [];
    const path = posix.join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walkFiles(root, path) : [path];
  });
}

export const isYamlFile = (file: string): boolean => /\.ya?ml$/.test(file);

// The tree of the repository at `root`; files are read and parsed on first use.
export function loadTree(root: string): Tree {
  const files = TREE_DIRS.flatMap((dir) => walkFiles(root, dir)).filter(isYamlFile);
  const parsed = new Map<string, YamlFile>();
  const yaml = (file: string): YamlFile | undefined => {
    let result = parsed.get(file);
    if (!result) {
      if (!isYamlFile(file) || !existsSync(join(root, file))) return undefined;
      result = parseYamlFile(file, readFileSync(join(root, file), 'utf8'));
      parsed.set(file, result);
    }
    return result;
  };
  const manifests = (file: string): Manifest[] => {
    const loaded = yaml(file);
    return loaded ? objectsOf(loaded).map((o) => ({ file, ...o })) : [];
  };
  const clustersDir = join(root, 'clusters');
  const clusters = existsSync(clustersDir)
    ? readdirSync(clustersDir).filter((name) => !name.startsWith('.') && statSync(join(clustersDir, name)).isDirectory()).sort()
    : [];
  return {
    root,
    files,
    clusters,
    yaml,
    manifests,
    manifestsUnder: (dir) => {
      const prefix = dir === '.' || dir === '' ? '' : dir.replace(/\/$/, '') + '/';
      return files.filter((file) => file.startsWith(prefix)).flatMap(manifests);
    },
  };
}

export const nameOf = (doc: Obj): string => String(at(doc, 'metadata', 'name') ?? '');
export const namespaceOf = (doc: Obj): string | undefined => {
  const ns = at(doc, 'metadata', 'namespace');
  return typeof ns === 'string' ? ns : undefined;
};
// `Kind namespace/name` (or `Kind name` for cluster-scoped or namespace-less objects).
export function describeObject(doc: Obj): string {
  const ns = namespaceOf(doc);
  return `${String(doc.kind ?? '?')} ${ns ? `${ns}/` : ''}${nameOf(doc)}`;
}

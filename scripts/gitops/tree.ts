// The GitOps tree on disk: its YAML files under infrastructure/ and clusters/, each parsed once,
// and the clusters (the folders of clusters/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { at, objectsOf, parseYamlFile, type Obj, type YamlFile } from './yaml.ts';
import { pathKindOf, readEntries, type EntryReader, type PathKind } from './inputs.ts';

export const TREE_DIRS = ['infrastructure', 'clusters'] as const;

// One object document of the tree, with where it is.
export type Manifest = { file: string; line: number; index: number; doc: Obj };

export type Tree = {
  root: string;
  // Reads a kustomization file's entries (cached by validate).
  entries: EntryReader;
  // What a repo-relative path is on disk.
  kind: PathKind;
  // Every .yaml/.yml file under the tree folders, repo-relative with posix separators, sorted.
  files: string[];
  clusters: string[];
  // A repo-relative file's text (read once), or undefined when there is none.
  text(file: string): string | undefined;
  // Whether the file may hold an object of an API group containing `fragment`: a cheap text check.
  mayMention(file: string, fragment: string): boolean;
  // A repo-relative YAML file parsed (once, also outside the tree folders), or undefined when there is none.
  yaml(file: string): YamlFile | undefined;
  manifests(file: string): Manifest[];
  // Every object document in files under `dir` (the dir itself included).
  manifestsUnder(dir: string): Manifest[];
};

// Every file under `dir` (repo-relative, posix separators), sorted; nothing when it does not exist.
// `kinds` (when given) learns every file and folder seen.
export function walkFiles(root: string, dir: string, kinds?: Map<string, 'file' | 'dir'>): string[] {
  const full = join(root, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) return [];
  kinds?.set(dir, 'dir');
  return readdirSync(full, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).flatMap((entry) => {
    if (entry.name.startsWith('.')) return [];
    const path = posix.join(dir, entry.name);
    // A symbolic link is followed, as statSync does.
    if (entry.isDirectory() || (entry.isSymbolicLink() && statSync(join(root, path), { throwIfNoEntry: false })?.isDirectory())) return walkFiles(root, path, kinds);
    kinds?.set(path, 'file');
    return [path];
  });
}

export const isYamlFile = (file: string): boolean => /\.ya?ml$/.test(file);

// The tree of the repository at `root`; files are read and parsed on first use.
// `entries` reads kustomization files' entries (validate passes its cached reader).
export function loadTree(root: string, options: { entries?: EntryReader } = {}): Tree {
  const walked = new Map<string, 'file' | 'dir'>();
  const files = TREE_DIRS.flatMap((dir) => walkFiles(root, dir, walked)).filter(isYamlFile);
  const onDisk = pathKindOf(root);
  const parsed = new Map<string, YamlFile>();
  const texts = new Map<string, string | undefined>();
  const text = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
    return texts.get(file);
  };
  const yaml = (file: string): YamlFile | undefined => {
    let result = parsed.get(file);
    if (!result) {
      const content = isYamlFile(file) ? text(file) : undefined;
      if (content === undefined) return undefined;
      result = parseYamlFile(file, content);
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
    mayMention: (file, fragment) => text(file)?.includes(fragment) ?? false,
    entries: options.entries ?? readEntries,
    // NOTE: speed: what the walk saw is not asked of the file system again (hidden files were not walked).
    kind: (path) => walked.get(path) ?? onDisk(path),
    files,
    clusters,
    text,
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

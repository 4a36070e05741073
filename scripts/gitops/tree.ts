// The GitOps tree on disk: its YAML files under infrastructure/ and clusters/, each parsed once,
// and the clusters (the folders of clusters/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { at, objectsOf, parseYamlFile, type Obj, type YamlFile } from './yaml.ts';
import { readEntries, type EntryReader } from './inputs.ts';

export const TREE_DIRS = ['infrastructure', 'clusters'] as const;

// One object document of the tree, with where it is.
export type Manifest = { file: string; line: number; index: number; doc: Obj };

export type Tree = {
  root: string;
  // Reads a kustomization file's entries (cached by validate).
  entries: EntryReader;
  // Every .yaml/.yml file under the tree folders, repo-relative with posix separators, sorted.
  files: string[];
  clusters: string[];
  // A repo-relative file's text (read once), or undefined when there is none.
  text(file: string): string | undefined;
  // Whether the file may hold an object of an API group containing `fragment`: a cheap text check,
  // or true when the file's parse is in the cache (then reading the file costs more than its documents).
  mayMention(file: string, fragment: string): boolean;
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
// A file's documents and problems as a cache keeps them (no positions beyond each document's line).
export type ParsedYaml = Pick<YamlFile, 'documents' | 'problems'>;
export type ParsedYamlCache = { fresh(path: string): boolean; get(path: string, compute: (text: string) => ParsedYaml): ParsedYaml };

// `entries` reads kustomization files' entries and `parsed` keeps parsed files between runs (validate's caches).
export function loadTree(root: string, options: { entries?: EntryReader; parsed?: ParsedYamlCache } = {}): Tree {
  const files = TREE_DIRS.flatMap((dir) => walkFiles(root, dir)).filter(isYamlFile);
  const parsed = new Map<string, YamlFile>();
  const texts = new Map<string, string | undefined>();
  const text = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
    return texts.get(file);
  };
  const yaml = (file: string): YamlFile | undefined => {
    let result = parsed.get(file);
    if (!result) {
      if (!isYamlFile(file) || !existsSync(join(root, file))) return undefined;
      if (options.parsed) {
        // NOTE: from the cache, positions inside a document are found by parsing again, only when asked.
        const { documents, problems } = options.parsed.get(join(root, file), (content) => parseYamlFile(file, content));
        let full: YamlFile | undefined;
        result = { file, documents, problems, lineOf: (index, path) => (full ??= parseYamlFile(file, text(file) ?? '')).lineOf(index, path) };
      } else result = parseYamlFile(file, text(file) ?? '');
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
    mayMention: (file, fragment) => options.parsed?.fresh(join(root, file)) === true || (text(file)?.includes(fragment) ?? false),
    entries: options.entries ?? readEntries,
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

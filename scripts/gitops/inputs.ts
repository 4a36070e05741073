// What a kustomize build of a folder reads: the folders and files a kustomization pulls in through
// resources, components, patches, generators and the like, read statically (no build). For a
// Flux Kustomization's path without a kustomization file, what Flux's generated one would list.
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { KUSTOMIZATION_FILES } from '../kustomize/kustomization.ts';
import { walkFiles, isYamlFile } from './tree.ts';
import { at, isObj, parseYamlFile } from './yaml.ts';

export type Inputs = {
  // Folders built as kustomizations (the start included when it has a kustomization file).
  dirs: Set<string>;
  // Every file read: kustomization files, manifests, patches, generator sources.
  files: Set<string>;
  // Entries that point outside the repository or do not exist: `<kustomization file>: <entry>`.
  missing: string[];
  // Every folder whose list of files decides what is read (a file added there may change the build):
  // each kustomization folder, every folder below a path Flux generates a kustomization for, and
  // the folder of a missing entry.
  folders: Set<string>;
};

// What a repo-relative path is on disk: a file, a folder, or nothing (the tree answers from its walk).
export type PathKind = (path: string) => 'file' | 'dir' | undefined;

// The kind of paths under `root`, asked of the file system.
export function pathKindOf(root: string): PathKind {
  return (path) => {
    try {
      return statSync(join(root, path)).isDirectory() ? 'dir' : 'file';
    } catch {
      // missing, or a file where a folder was expected
      return undefined;
    }
  };
}

// How inputs are read: the repository, its kustomization files' entries and what its paths are.
type Reading = { root: string; read: EntryReader; kind: PathKind };

// The kustomization file of repo-relative `dir`, or undefined.
export function kustomizationFileOf(root: string, dir: string, kind: PathKind = pathKindOf(root)): string | undefined {
  const name = KUSTOMIZATION_FILES.find((n) => kind(posix.join(dir, n)) !== undefined);
  return name === undefined ? undefined : posix.join(dir, name);
}

// The inputs of a Flux Kustomization whose spec.path is repo-relative `path`, with its
// spec.components (folders relative to the path, built into it by kustomize-controller).
export function fluxPathInputs(root: string, path: string, read: EntryReader = readEntries, kind: PathKind = pathKindOf(root), components: readonly string[] = []): Inputs {
  const inputs: Inputs = { dirs: new Set(), files: new Set(), missing: [], folders: new Set() };
  const dir = normalizeDir(path);
  addFluxPath({ root, read, kind }, dir, inputs);
  for (const component of components) addKustomization({ root, read, kind }, normalizeDir(posix.join(dir, component)), inputs);
  return inputs;
}

// The inputs of building kustomization folder `dir`.
export function kustomizationInputs(root: string, dir: string, read: EntryReader = readEntries, kind: PathKind = pathKindOf(root)): Inputs {
  const inputs: Inputs = { dirs: new Set(), files: new Set(), missing: [], folders: new Set() };
  addKustomization({ root, read, kind }, normalizeDir(dir), inputs);
  return inputs;
}

// `./a/b/` → `a/b`; `.` and `./` → `.`.
export function normalizeDir(path: string): string {
  const normalized = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '');
  return normalized === '' ? '.' : normalized;
}

// The resources of the kustomization Flux generates for a path without a kustomization file:
// every YAML file below it, and each subfolder with its own kustomization file as one entry.
export function generatedResources(root: string, dir: string, kind: PathKind = pathKindOf(root), folders?: Set<string>): string[] {
  const nested: string[] = [];
  const resources: string[] = [];
  const walked = new Map<string, 'file' | 'dir'>();
  const files = walkFiles(root, dir, walked);
  for (const [path, what] of walked) if (what === 'dir') folders?.add(path);
  for (const file of files) {
    if (nested.some((n) => file.startsWith(n + '/'))) continue;
    const folder = posix.dirname(file);
    if (folder !== dir && kustomizationFileOf(root, folder, kind)) {
      nested.push(folder);
      resources.push(folder);
    } else if (isYamlFile(file)) resources.push(file);
  }
  return resources;
}

function addFluxPath(reading: Reading, dir: string, inputs: Inputs): void {
  const { root, kind } = reading;
  if (kustomizationFileOf(root, dir, kind)) return addKustomization(reading, dir, inputs);
  // NOTE: like kustomize-controller's generator: every manifest below, and a subfolder with its
  // own kustomization file as one resource (not walked further).
  inputs.dirs.add(dir);
  for (const resource of generatedResources(root, dir, kind, inputs.folders)) {
    if (isYamlFile(resource) && !kustomizationFileOf(root, resource, kind)) inputs.files.add(resource);
    else addKustomization(reading, resource, inputs);
  }
}

function addKustomization(reading: Reading, dir: string, inputs: Inputs): void {
  if (inputs.dirs.has(dir)) return;
  inputs.folders.add(dir);
  const file = kustomizationFileOf(reading.root, dir, reading.kind);
  if (!file) {
    inputs.missing.push(`${dir}: no kustomization file`);
    return;
  }
  inputs.dirs.add(dir);
  inputs.files.add(file);
  const entries = reading.read(reading.root, file);
  for (const value of entries.folders) entry(reading, dir, file, value, true, inputs);
  for (const value of entries.files) entry(reading, dir, file, value, false, inputs);
}

function entry(reading: Reading, dir: string, file: string, value: string, folders: boolean, inputs: Inputs): void {
  if (value.includes('\n') || isRemote(value)) return;
  const target = normalizeDir(posix.join(dir, value.replace(/^[^=]+=/, '')));
  const kind = target.startsWith('..') ? undefined : reading.kind(target);
  if (kind === undefined) {
    inputs.missing.push(`${file}: ${value}`);
    if (!target.startsWith('..')) inputs.folders.add(posix.dirname(target));
    return;
  }
  if (kind === 'dir') {
    if (folders) addKustomization(reading, target, inputs);
  } else inputs.files.add(target);
}

// The entries of a kustomization file that name other folders (resources, bases, components, …)
// and files (patches, generator sources, …), as written.
export type Entries = { folders: string[]; files: string[] };
export type EntryReader = (root: string, file: string) => Entries;

// Reads a kustomization file's entries (a YAML parse; see cachedEntryReader for the cached one).
export const readEntries: EntryReader = (root, file) => kustomizationEntries(readFileSync(join(root, file), 'utf8'), file);

// The entries of a kustomization file's text.
export function kustomizationEntries(text: string, file = 'kustomization.yaml'): Entries {
  const [first] = parseYamlFile(file, text).documents;
  const k = first?.value;
  const entries: Entries = { folders: [], files: [] };
  if (!isObj(k)) return entries;
  const add = (value: unknown, folders: boolean) => {
    if (typeof value === 'string') (folders ? entries.folders : entries.files).push(value);
  };
  const list = (key: string) => (Array.isArray(k[key]) ? (k[key] as unknown[]) : []);
  for (const key of ['resources', 'bases', 'components', 'transformers', 'generators', 'validators']) list(key).forEach((v) => add(v, true));
  for (const key of ['patchesStrategicMerge', 'crds', 'configurations']) list(key).forEach((v) => add(v, false));
  for (const key of ['patches', 'patchesJson6902', 'replacements']) list(key).forEach((v) => add(at(v, 'path'), false));
  for (const key of ['configMapGenerator', 'secretGenerator', 'helmCharts']) {
    for (const generator of list(key)) {
      for (const source of [...arrayAt(generator, 'files'), ...arrayAt(generator, 'envs'), at(generator, 'env'), at(generator, 'valuesFile')]) add(source, false);
    }
  }
  add(at(k, 'openapi', 'path'), false);
  return entries;
}

const arrayAt = (value: unknown, key: string): unknown[] => {
  const found = at(value, key);
  return Array.isArray(found) ? found : [];
};

// Remote resources (git URLs, https) are not in the repository.
const isRemote = (entry: string): boolean => /^[a-z0-9+.-]+:\/\//i.test(entry) || entry.startsWith('git@') || /^github\.com\//.test(entry);

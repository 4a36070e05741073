// Check 2, the build: each Flux Kustomization's path built once as kustomize-controller builds it,
// through a generated kustomization around the path that carries the Kustomization's own
// transformations (targetNamespace, namePrefix/nameSuffix, patches, images, components).
// NOTE: speed: several builds share one `kubectl kustomize` process (one wrapper folder listing
// a generated kustomization per build), run side by side up to the CPU count. Each generated
// kustomization labels its objects with the build's index, and kustomize's origin annotations
// name the file each object came from; both are removed afterwards. A batch that fails (one
// broken path, or two builds defining the same object) is retried one build per process, so
// each failure shows kustomize's own message.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, posix, relative, resolve } from 'node:path';
import type { FluxKustomization } from '../gitops/flux.ts';
import { generatedResources, kustomizationFileOf } from '../gitops/inputs.ts';
import { at, isObj, objectsOf, parseYamlFile, type Obj } from '../gitops/yaml.ts';

export const BUILD_LABEL = 'validate.gitops-tasks/build';
const ORIGIN = 'config.kubernetes.io/origin';

// What one build needs: the path and the Kustomization's transformations.
export type BuildRequest = {
  // Identical requests (the same path and transformations, e.g. in two clusters) build once.
  key: string;
  path: string;
  transforms: Obj;
};

// A built object and the repo-relative file it came from (undefined when kustomize made it).
export type RawObject = { doc: Obj; origin: string | undefined };

export type BuildOutcome = { ok: true; objects: RawObject[] } | { ok: false; message: string };

// Runs `kubectl kustomize <dir> --load-restrictor LoadRestrictionsNone`: its stdout, or its error text.
export type KustomizeRunner = (dir: string) => Promise<{ ok: true; stdout: string } | { ok: false; message: string }>;

const TRANSFORMS = ['targetNamespace', 'namePrefix', 'nameSuffix', 'patches', 'images', 'components'] as const;

// The build request of a Flux Kustomization with a local, existing path.
export function buildRequestOf(kustomization: FluxKustomization): BuildRequest {
  const path = kustomization.path ?? '.';
  const transforms: Obj = {};
  for (const key of TRANSFORMS) {
    const value = at(kustomization.manifest.doc, 'spec', key);
    if (value !== undefined) transforms[key] = value;
  }
  return { key: JSON.stringify([path, transforms]), path, transforms };
}

// Builds every request (each distinct key once) and returns the outcome of each key.
export async function buildAll(root: string, requests: readonly BuildRequest[], kustomize: KustomizeRunner, jobs = availableParallelism()): Promise<Map<string, BuildOutcome>> {
  const unique = [...new Map(requests.map((r) => [r.key, r])).values()];
  const outcomes = new Map<string, BuildOutcome>();
  const batches = Array.from({ length: Math.max(1, Math.min(jobs, unique.length)) }, (_, i) => unique.filter((_, j) => j % Math.max(1, jobs) === i));
  await Promise.all(batches.map(async (batch) => {
    const results = await buildBatch(root, batch, kustomize);
    if (results) {
      batch.forEach((request, i) => outcomes.set(request.key, { ok: true, objects: results[i] }));
      return;
    }
    // One at a time now: each failure gets its own message.
    for (const request of batch) {
      const single = await buildBatch(root, [request], kustomize, (message) => outcomes.set(request.key, { ok: false, message }));
      if (single) outcomes.set(request.key, { ok: true, objects: single[0] });
    }
  }));
  return outcomes;
}

// Builds `batch` in one process: the objects of each request, or undefined when the build failed.
async function buildBatch(root: string, batch: readonly BuildRequest[], kustomize: KustomizeRunner, onError?: (message: string) => void): Promise<RawObject[][] | undefined> {
  if (batch.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'gitops-validate-'));
  try {
    writeWrappers(root, dir, batch);
    const result = await kustomize(dir);
    if (!result.ok) {
      onError?.(cleanMessage(result.message, dir, root));
      return undefined;
    }
    const perBuild: RawObject[][] = batch.map(() => []);
    for (const { doc } of objectsOf(parseYamlFile('kubectl kustomize', result.stdout))) {
      const index = Number(String(at(doc, 'metadata', 'labels', BUILD_LABEL) ?? '').slice(1));
      const origin = originOf(doc, dir, root);
      stripMarkers(doc);
      perBuild[Number.isInteger(index) && index < batch.length ? index : 0].push({ doc, origin });
    }
    return perBuild;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The wrapper folder: a kustomization listing k0…kN, each the generated kustomization of one build.
export function writeWrappers(root: string, dir: string, batch: readonly BuildRequest[]): void {
  const top = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: batch.map((_, i) => `k${i}`), buildMetadata: ['originAnnotations'] };
  writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify(top, null, 1));
  batch.forEach((request, i) => {
    const own = join(dir, `k${i}`);
    mkdirSync(own);
    writeFileSync(join(own, 'kustomization.yaml'), JSON.stringify(generatedKustomization(root, own, request, i), null, 1));
  });
}

// The kustomization kustomize-controller would generate around `request.path`, written in folder
// `from`, labelling its objects with build `index`.
export function generatedKustomization(root: string, from: string, request: BuildRequest, index: number): Obj {
  const rel = (repoPath: string) => relative(from, join(root, repoPath)).split('\\').join('/');
  const resources = kustomizationFileOf(root, request.path) ? [rel(request.path)] : generatedResources(root, request.path).map(rel);
  const t = request.transforms;
  const k: Obj = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources };
  if (typeof t.targetNamespace === 'string' && t.targetNamespace !== '') k.namespace = t.targetNamespace;
  if (typeof t.namePrefix === 'string') k.namePrefix = t.namePrefix;
  if (typeof t.nameSuffix === 'string') k.nameSuffix = t.nameSuffix;
  if (Array.isArray(t.patches)) k.patches = t.patches;
  if (Array.isArray(t.images)) k.images = t.images;
  if (Array.isArray(t.components)) k.components = t.components.map((c) => rel(posix.join(request.path, String(c))));
  k.labels = [{ pairs: { [BUILD_LABEL]: `k${index}` }, includeSelectors: false, includeTemplates: false }];
  return k;
}

// The repo-relative file an object came from (for generated objects, the kustomization that generated it).
function originOf(doc: Obj, dir: string, root: string): string | undefined {
  const origin = at(doc, 'metadata', 'annotations', ORIGIN);
  if (typeof origin !== 'string') return undefined;
  const path = /^path: (.+)$/m.exec(origin)?.[1] ?? /^configuredIn: (.+)$/m.exec(origin)?.[1];
  if (!path) return undefined;
  const file = relative(root, resolve(dir, path.trim())).split('\\').join('/');
  return file.startsWith('..') ? undefined : file;
}

function stripMarkers(doc: Obj): void {
  const metadata = doc.metadata;
  if (!isObj(metadata)) return;
  for (const [key, marker] of [['labels', BUILD_LABEL], ['annotations', ORIGIN]] as const) {
    const map = metadata[key];
    if (!isObj(map)) continue;
    delete map[marker];
    if (Object.keys(map).length === 0) delete metadata[key];
  }
}

// kustomize's message without the temporary folder's path, and repo paths relative to the root.
export function cleanMessage(message: string, dir: string, root: string): string {
  const rootPath = resolve(root).replace(/^\//, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message
    .replace(/^Error: /, '')
    .replace(new RegExp(`(?:\\.\\./)+${rootPath}/`, 'g'), '')
    .split(resolve(root) + '/').join('')
    .split(dir + '/').join('')
    .trim();
}

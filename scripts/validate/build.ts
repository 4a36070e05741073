// Check 2, the build: each Flux Kustomization's path built once as kustomize-controller builds it,
// through a generated kustomization around the path that carries the Kustomization's own
// transformations (targetNamespace, namePrefix/nameSuffix, patches, images, components).
// NOTE: speed: several builds share one `kubectl kustomize` process (one wrapper folder listing
// a generated kustomization per build), run side by side up to the CPU count. Each generated
// kustomization labels its objects with the build's index (removed afterwards); the file an
// object came from is found by its kind and name among the build's inputs (validate.ts), not
// through kustomize's originAnnotations, which almost double kustomize's time. A batch that fails
// (one broken path, or two builds defining the same object) is retried one build per process,
// so each failure shows kustomize's own message. The wrapper asks for `sortOptions: fifo`: objects
// are attributed by their label, not their order, and kustomize's default ordering by kind costs
// about a sixth of a batch's time.
import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, posix, relative, resolve } from 'node:path';
import type { FluxKustomization } from '../gitops/flux.ts';
import { generatedResources, kustomizationFileOf } from '../gitops/inputs.ts';
import { at, isObj, objectsOf, parseYamlFile, type Obj } from '../gitops/yaml.ts';

export const BUILD_LABEL = 'validate.gitops-tasks/build';

// What one build needs: the path and the Kustomization's transformations.
export type BuildRequest = {
  // Identical requests (the same path and transformations, e.g. in two clusters) build once.
  key: string;
  path: string;
  transforms: Obj;
};

// A built object.
export type RawObject = { doc: Obj };

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

// Builds per process: kustomize's cost grows faster than linearly with the objects of one build
// (about 20 ms per overlay of ~30 objects in batches of 10, 75 ms in batches of 75), while each
// process costs ~60 ms to start; 10 measured best on the bench tree.
export const BATCH_SIZE = 10;

// Builds every request (each distinct key once) and returns the outcome of each key.
// `signal`: once aborted, no further batch starts (the runner ends the running ones).
export async function buildAll(root: string, requests: readonly BuildRequest[], kustomize: KustomizeRunner, jobs = availableParallelism(), signal?: AbortSignal): Promise<Map<string, BuildOutcome>> {
  const unique = [...new Map(requests.map((r) => [r.key, r])).values()];
  const outcomes = new Map<string, BuildOutcome>();
  const batches: BuildRequest[][] = [];
  const perBatch = Math.min(BATCH_SIZE, Math.max(1, Math.ceil(unique.length / Math.max(1, jobs))));
  for (let i = 0; i < unique.length; i += perBatch) batches.push(unique.slice(i, i + perBatch));
  const worker = async () => {
    for (let batch = batches.shift(); batch && !signal?.aborted; batch = batches.shift()) {
      const results = await buildBatch(root, batch, kustomize);
      if (results) {
        batch.forEach((request, i) => outcomes.set(request.key, { ok: true, objects: results[i] }));
        continue;
      }
      // One at a time now: each failure gets its own message.
      for (const request of batch) {
        const single = await buildBatch(root, [request], kustomize, (message) => outcomes.set(request.key, { ok: false, message }));
        if (single) outcomes.set(request.key, { ok: true, objects: single[0] });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, batches.length)) }, worker));
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
      stripMarker(doc);
      perBuild[Number.isInteger(index) && index < batch.length ? index : 0].push({ doc });
    }
    return perBuild;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The wrapper folder: a kustomization listing k0…kN, each the generated kustomization of one build.
export function writeWrappers(root: string, dir: string, batch: readonly BuildRequest[]): void {
  const top = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: batch.map((_, i) => `k${i}`), sortOptions: { order: 'fifo' } };
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

function stripMarker(doc: Obj): void {
  const labels = at(doc, 'metadata', 'labels');
  if (!isObj(labels)) return;
  delete labels[BUILD_LABEL];
  if (Object.keys(labels).length === 0) delete (doc.metadata as Obj).labels;
}

// kustomize's cause of a failed build, as `<kustomization file>: <cause>` with repo-relative paths:
// without kubectl's log prefix (`E1129 20:01:09.635902 21872 run.go:72] "command failed" err="…"`,
// whose time and pid change every run) and without the layers kustomize adds for each folder it
// recurses into (the wrapper folder, its k<N>, the path itself), which only repeat the path.
export function cleanMessage(message: string, dir: string, root: string): string {
  let text = unwrapKlog(message);
  let folder: string | undefined;
  for (let layer = FOLDER_LAYER.exec(text); layer; layer = FOLDER_LAYER.exec(text)) {
    folder = layer[1];
    text = text.slice(layer[0].length);
  }
  const resource = RESOURCE_CAUSE.exec(text);
  if (resource) text = `resource ${resource[1]}: ${resource[2]}`;
  const toRepo = repoPaths(dir, root);
  const where = folder === undefined ? undefined : toRepo(`${folder}/`).replace(/\/$/, '') || '.';
  // A folder outside the repository is the wrapper: the Flux Kustomization's own transformations failed.
  const file = where === undefined || where.startsWith('/') ? undefined : kustomizationFileOf(root, where);
  return toRepo(file ? `${file}: ${text}` : text).trim();
}

// One folder kustomize recursed into: `accumulating resources: accumulation err='accumulating
// resources from '<entry>': read <folder>: is a directory': recursed accumulation of path '<folder>': `.
const FOLDER_LAYER = /^accumulating resources: accumulation err='accumulating resources from '[^']*': read [^\n]*?: is a directory': recursed accumulation of path '([^']*)': /;
// An entry of `resources` that failed, with kustomize's cause and its fallback's complaint
// (`must build at directory: …`: it also tried the entry as a folder), which is dropped.
const RESOURCE_CAUSE = /^accumulating resources: accumulation err='(?:accumulating|merging) resources from '([^']*)': ([\s\S]*)': must build at directory: [\s\S]*$/;

// kubectl's error text without klog's prefix and quoting: `err="…"` (escaped) or `err=<` and
// tab-indented lines up to ` >` (a multi-line error).
function unwrapKlog(message: string): string {
  const text = message.trim().replace(/^Error: /, '');
  const klog = /^[IWEF]\d{4} [\d:.]+\s+\d+ [^\]]*\] "command failed" err=/m.exec(text);
  if (!klog) return text;
  const rest = text.slice(klog.index + klog[0].length).trim();
  if (rest.startsWith('<')) return rest.replace(/^<\n?/, '').replace(/\n?\s*>$/, '').split('\n').map((line) => line.replace(/^\t/, '')).join('\n');
  if (!rest.startsWith('"')) return rest;
  try {
    return JSON.parse(rest) as string;
  } catch {
    return rest.replace(/^"|"$/g, '').replace(/\\(["\\])/g, '$1');
  }
}

// Rewrites the repository's paths in `text` as repo-relative ones: absolute (also through a
// symlink, as kustomize resolves them) or relative to a wrapper folder k<N>.
function repoPaths(dir: string, root: string): (text: string) => string {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  const prefixes = [...new Set([resolve(root), real(root)])].flatMap((r) => [r, relative(join(dir, 'k0'), r), relative(dir, r)]).map((p) => p.split('\\').join('/') + '/');
  prefixes.sort((a, b) => b.length - a.length);
  return (text) => prefixes.reduce((t, prefix) => t.split(prefix).join(''), text);
}

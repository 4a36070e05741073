// validate: the offline check of the whole GitOps tree. Loads the tree once, models each
// cluster's Flux objects, builds each Flux Kustomization's path once, applies what
// kustomize-controller applies after the build, then runs the checks on the result.
// Returns the findings; printing them is the caller's (the task's) job.
import { dirname } from 'node:path';
import { InterruptedError, UsageError } from '../core/errors.ts';
import { applyOrder, clusterModels, isFluxSource, isHelmRelease, type ClusterModel, type FluxKustomization } from '../gitops/flux.ts';
import { isKustomizationFile } from '../kustomize/kustomization.ts';
import { describeObject, loadTree, type Manifest, type Tree } from '../gitops/tree.ts';
import { at, isObj, type Obj } from '../gitops/yaml.ts';
import { buildAll, buildRequestOf, type BuildOutcome, type BuildRequest, type KustomizeRunner } from './build.ts';
import { openValidateCache } from './cache.ts';
import { buildMayRewrite, referencedKustomizations, touchedKustomizations, variableProviders } from './changed.ts';
import { checkBuiltObjects, checkKustomizations, sourceKeys } from './check-graph.ts';
import { checkPolicy } from './check-policy.ts';
import { checkClusterSettings } from './check-settings.ts';
import { checkSchemas } from './check-schema.ts';
import { preloadValidators } from './schemas.ts';
import { checkYaml, skippedBuild } from './check-yaml.ts';
import { exitCodeOf, listWithoutSchema, mergeFindings, type NewFinding, type ValidateResult } from './findings.ts';
import { affixesOf, generatorsOf, lineAt, matchGenerator, matchManifest, type CheckedObject } from './objects.ts';
import { variablesOf } from './variables.ts';
import { applyCommonMetadata, substitute, substitutionDisabled } from './substitute.ts';
import { isClusterSettingsFile } from '../cluster/settings.ts';

export type ValidateOptions = {
  // The repository root.
  root: string;
  // The clusters to validate (folders of clusters/); all when empty.
  clusters?: readonly string[];
  // Warnings fail too.
  strict?: boolean;
  // Runs `kubectl kustomize` (through the task's runner, so it is logged).
  kustomize: KustomizeRunner;
  // Builds side by side (default: the CPU count).
  jobs?: number;
  // Where compiled schemas and cached results are kept; default node_modules/.cache/gitops-tasks.
  cacheDir?: string;
  // false: neither read nor write the result caches.
  cache?: boolean;
  // Only the Kustomizations these repo-relative files touch (see changed.ts); every one when undefined.
  changed?: readonly string[];
  // Of those, the files whose diff adds or removes a line naming a Flux API group (changedSince's `flux`).
  changedFlux?: readonly string[];
  // Aborted on Ctrl-C: validate stops between its steps (the runner ends a running kubectl).
  signal?: AbortSignal;
};

// Validates the tree at `options.root`; throws UsageError for an unknown cluster.
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const started = performance.now();
  const cache = options.cache === false ? undefined : openValidateCache(options.root, options.cacheDir);
  const tree = loadTree(options.root, { entries: cache?.entries });
  const clusters = options.clusters && options.clusters.length > 0 ? [...new Set(options.clusters)] : tree.clusters;
  const unknown = clusters.filter((c) => !tree.clusters.includes(c));
  if (unknown.length > 0) {
    throw new UsageError(`no cluster ${unknown.map((c) => `"${c}"`).join(', ')} in clusters/ (there are: ${tree.clusters.join(', ') || 'none'})`);
  }
  const elapsed = () => Math.round(performance.now() - started);
  // The last full run's result, while nothing it read changed. A --changed run neither reads nor
  // writes it: its files changed by definition, and recording the ~1,000 file hashes of a run costs
  // a good part of what --changed saves (a repeated --changed still takes its builds from the cache).
  const runKey = JSON.stringify({ clusters, strict: options.strict === true });
  const hit = options.changed ? undefined : cache?.run(runKey, tree.files);
  if (hit) {
    cache!.save();
    return { ...hit, summary: { ...hit.summary, cached: hit.summary.kustomizations, durationMs: elapsed() } };
  }

  const stopIfAborted = () => {
    if (options.signal?.aborted) throw new InterruptedError('validate stopped (Ctrl-C) before it finished: nothing was written to the cache');
  };
  stopIfAborted();
  const models = clusterModels(tree, clusters);
  const changed = options.changed ? new Set(options.changed) : undefined;
  // With --changed, who makes each Kustomization's substituteFrom ConfigMaps (once per cluster).
  const providersOf = new Map(changed ? models.map((m) => [m, variableProviders(m)]) : []);
  const selected = new Set(models.flatMap((m) => [...(changed ? touchedKustomizations(tree, m, changed, new Set(options.changedFlux), providersOf.get(m)) : m.kustomizations)]));
  // With --changed, the Kustomizations that make the selected ones' substituteFrom ConfigMaps, or
  // whose build rewrites what they refer to, are built too (their own objects are not checked).
  const providers = changed ? models.flatMap((m) => referencedKustomizations(tree, m, selected, providersOf.get(m)!)) : [];
  const findings: NewFinding[] = [];

  // 2. Builds: each distinct (path, transformations) once; unchanged ones from the cache. They
  // start first: kubectl works while the YAML of the tree is checked here.
  const requests = new Map<FluxKustomization, BuildRequest>();
  const inputsOf = new Map<string, Set<string>>();
  for (const k of [...selected, ...providers]) {
    if (!k.local || k.path === undefined || k.inputs.dirs.size === 0) continue;
    const request = buildRequestOf(k);
    requests.set(k, request);
    inputsOf.set(request.key, k.inputs.files);
  }
  const outcomes = new Map<string, BuildOutcome>();
  const cacheKeys = new Map<string, string>();
  for (const [key, inputs] of inputsOf) {
    const cacheKey = cache?.buildKey(key, inputs);
    const cached = cacheKey ? cache!.build(cacheKey) : undefined;
    if (cacheKey) cacheKeys.set(key, cacheKey);
    if (cached) outcomes.set(key, cached);
  }
  const cachedKeys = new Set(outcomes.keys());
  const building = buildAll(tree.root, [...requests.values()].filter((r) => !outcomes.has(r.key)), options.kustomize, options.jobs, options.signal);
  // A failed build batch rejects only when it is awaited, after the YAML check.
  building.catch(() => undefined);

  // 1. YAML of every tree file and every file a build reads (with --changed: the changed ones).
  const inputFiles = new Set(models.flatMap((m) => m.kustomizations.flatMap((k) => [...k.inputs.files])));
  const yamlFiles = [...new Set([...tree.files, ...inputFiles])].filter((f) => /\.ya?ml$/.test(f) && (!changed || changed.has(f)));
  const yaml = await checkYaml(tree, yamlFiles);
  findings.push(...yaml.findings);
  preloadValidators(new Set(yamlFiles.flatMap((file) => tree.manifests(file).map((m) => `${String(m.doc.apiVersion ?? '')} ${String(m.doc.kind ?? '')}`))));

  stopIfAborted();
  for (const [key, outcome] of await building) {
    outcomes.set(key, outcome);
    const cacheKey = cacheKeys.get(key);
    if (cacheKey) cache!.storeBuild(cacheKey, outcome);
  }
  // A build that reads a file with YAML errors fails for that reason, already reported: it is
  // skipped, and a warning (skippedBuild) says that its objects are not checked.
  const skipped = new Map<FluxKustomization, string[]>();
  for (const [k, request] of requests) {
    const broken = [...k.inputs.files].filter((f) => yaml.broken.has(f) || (tree.yaml(f)?.problems.length ?? 0) > 0);
    if (broken.length > 0) skipped.set(k, broken);
    if (broken.length > 0 || !outcomes.has(request.key)) requests.delete(k);
  }

  const built: CheckedObject[] = [];
  // What the checked objects may refer to without being checked: with --changed, the objects of the
  // Kustomizations built only for reference; the sources of those not built, as written.
  const references: CheckedObject[] = [];
  for (const model of models) {
    const buildFindings: NewFinding[] = [];
    const objects = clusterObjects(tree, model, requests, outcomes, buildFindings);
    buildFindings.push(...model.kustomizations.filter((k) => skipped.has(k)).map((k) => skippedBuild(tree, k, model.cluster, skipped.get(k)!)));
    const mine = new Set(model.kustomizations.filter((k) => selected.has(k)).map((k) => k.id));
    const own = (f: { kustomization?: string }) => !changed || (f.kustomization !== undefined && mine.has(f.kustomization));
    for (const object of objects) (own(object) ? built : references).push(object);
    const builtIds = new Set(model.kustomizations.filter((k) => requests.has(k) && outcomes.get(requests.get(k)!.key)?.ok).map((k) => k.id));
    // The sources and HelmReleases of Kustomizations not built, as their files have them; the
    // sources also for the chartRefs of the checked objects.
    const unbuilt = writtenObjects(tree, model, builtIds, (file) => tree.mayMention(file, 'toolkit.fluxcd.io')).filter((o) => isFluxSource(o.doc) || isHelmRelease(o.doc));
    // (Without their Kustomization: a finding about such a source names none, the build was not checked.)
    references.push(...unbuilt.filter((o) => isFluxSource(o.doc)).map(({ kustomization: _, ...source }) => source));
    // With --changed, dashboards of Kustomizations not built hold their uids (as their files have them).
    if (changed) references.push(...unbuiltDashboards(tree, model, builtIds));
    const sources = sourceKeys(objects, unbuilt);
    // (A checked Kustomization whose build failed counts as neither.)
    const duplicates = changed ? { checked: mine, written: duplicateCandidates(tree, model, new Set([...builtIds, ...mine]), objects.filter(own)) } : undefined;
    findings.push(...[...buildFindings, ...checkKustomizations(tree, model, sources), ...checkBuiltObjects(tree, model.cluster, objects, unbuilt, sources, duplicates)].filter(own));
  }

  const others = clusterModels(tree, tree.clusters.filter((c) => !clusters.includes(c)));
  const standalone = standaloneObjects(tree, models, others, findings, changed);
  findings.push(...checkPolicy(tree, built, standalone, references), ...checkClusterSettings(tree, clusters, changed));
  stopIfAborted();
  const schemas = await checkSchemas(tree, [...built, ...standalone], options.cacheDir, cache?.schemaResults, inputFiles);
  findings.push(...schemas.findings);

  const merged = mergeFindings(findings);
  const result: ValidateResult = {
    findings: merged,
    summary: {
      clusters: models.length,
      kustomizations: changed ? selected.size : models.reduce((sum, m) => sum + m.kustomizations.length, 0),
      cached: [...requests].filter(([k, r]) => selected.has(k) && cachedKeys.has(r.key)).length,
      objects: built.length + standalone.length,
      errors: merged.filter((f) => f.severity === 'error').length,
      warnings: merged.filter((f) => f.severity === 'warning').length,
      withoutSchema: sortedCounts(schemas.withoutSchema),
      withoutSchemaObjects: listWithoutSchema(schemas.withoutSchemaObjects),
      durationMs: elapsed(),
    },
    exitCode: exitCodeOf(merged, options.strict === true),
  };
  if (cache && !changed) {
    cache.storeRun(runKey, [...tree.files, ...inputFiles], models.flatMap((m) => m.kustomizations.flatMap((k) => [...k.inputs.folders])), result);
  }
  cache?.save();
  return result;
}

// The objects each Kustomization of `model` builds, after commonMetadata and postBuild substitution.
function clusterObjects(tree: Tree, model: ClusterModel, requests: Map<FluxKustomization, BuildRequest>, outcomes: Map<string, BuildOutcome>, findings: NewFinding[]): CheckedObject[] {
  const done = new Map<FluxKustomization, CheckedObject[]>();
  const substituted: CheckedObject[] = [];
  const raw = model.kustomizations.flatMap((k) => {
    const outcome = requests.has(k) ? outcomes.get(requests.get(k)!.key) : undefined;
    return outcome?.ok ? outcome.objects.map((o) => o.doc) : [];
  });
  // A substituteFrom ConfigMap as the cluster has it: substituted by its own Kustomization (those
  // are done in dependsOn order), else as built; of Kustomizations not built (--changed) as written,
  // read only when needed.
  const lookup = (predicate: (doc: Obj) => boolean) =>
    substituted.find((o) => predicate(o.doc))?.doc ?? raw.find(predicate) ?? model.manifests.map((m) => m.manifest.doc).find(predicate);
  const position = new Map((applyOrder(model) ?? []).map((id, i) => [id, i]));
  const inOrder = [...model.kustomizations].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  for (const k of inOrder) {
    const objects: CheckedObject[] = [];
    done.set(k, objects);
    const request = requests.get(k);
    const outcome = request ? outcomes.get(request.key) : undefined;
    if (!outcome) continue;
    // The line of spec.path, for objects kustomize made itself: a full parse of the file, so only when needed.
    let pathLine: number | undefined;
    const line = () => (pathLine ??= tree.yaml(k.manifest.file)?.lineOf(k.manifest.index, ['spec', 'path']) ?? k.manifest.line);
    if (!outcome.ok) {
      findings.push({ severity: 'error', check: 'build', rule: 'build/failed', file: k.manifest.file, line: line(), object: `Kustomization ${k.id}`, kustomization: k.id, clusters: [model.cluster],
        message: `kustomize build of ${k.path} failed: ${outcome.message.replace(/\s*\n\s*/g, ' ')}`, hint: `run \`kubectl kustomize ${k.path}\` to see the failing build, and fix the file it names` });
      continue;
    }
    const postBuild = at(k.manifest.doc, 'spec', 'postBuild');
    const variables = isObj(postBuild) ? variablesOf(k, postBuild, lookup, model.cluster, findings, tree) : undefined;
    const sources = byKind([...k.inputs.files].flatMap(tree.manifests));
    const kustomizationFiles = [...k.inputs.files].filter(isKustomizationFile).flatMap(tree.manifests);
    const affixes = affixesOf(at(k.manifest.doc, 'spec'), kustomizationFiles);
    const generators = generatorsOf(kustomizationFiles);
    for (const rawObject of outcome.objects) {
      const doc = structuredClone(rawObject.doc);
      applyCommonMetadata(doc, at(k.manifest.doc, 'spec', 'commonMetadata'));
      const manifest = matchManifest(sources.get(String(doc.kind)) ?? [], doc, affixes);
      // An object a generator made is the generator's, at its name; what nothing names is at spec.path.
      const generator = manifest ? undefined : matchGenerator(generators, doc, affixes);
      const object: CheckedObject = manifest
        ? { doc, file: manifest.file, index: manifest.index, line: manifest.line, cluster: model.cluster, kustomization: k.id }
        : generator
          ? { doc, file: generator.file, index: undefined, line: tree.yaml(generator.file)?.lineOf(generator.index, generator.path) ?? line(), cluster: model.cluster, kustomization: k.id }
          : { doc, file: k.manifest.file, index: undefined, line: line(), cluster: model.cluster, kustomization: k.id };
      const file = object.file;
      if (variables && !substitutionDisabled(doc)) {
        for (const missing of substitute(doc, variables.values)) {
          findings.push({
            severity: variables.secretSources.length > 0 ? 'warning' : 'error', check: 'graph', rule: 'graph/unresolved-variable',
            file, line: lineAt(tree, object, missing.path), object: describeObject(doc),
            kustomization: k.id, clusters: [model.cluster],
            message: `\${${missing.name}} in ${missing.field} has no value in Kustomization ${k.id}'s postBuild${variables.secretSources.length > 0 ? ` (unless Secret ${variables.secretSources.join(', ')} holds it)` : ''}: Flux would substitute an empty string`,
            hint: `add ${missing.name} to spec.postBuild.substitute or a substituteFrom ConfigMap, give it a default (\${${missing.name}:=value}), escape it as $\${${missing.name}}, or annotate the object kustomize.toolkit.fluxcd.io/substitute: disabled`,
          });
        }
      }
      objects.push(object);
      substituted.push(object);
    }
  }
  return model.kustomizations.flatMap((k) => done.get(k) ?? []);
}

// The manifests of the tree that no Flux Kustomization builds: neither one of the validated clusters
// nor one of the `others` (a file only another cluster builds is that cluster's, not standalone);
// when every cluster is validated, each such file is also a warning.
function standaloneObjects(tree: Tree, models: readonly ClusterModel[], others: readonly ClusterModel[], findings: NewFinding[], changed?: ReadonlySet<string>): CheckedObject[] {
  const allClusters = others.length === 0;
  const builtFiles = new Set([...models, ...others].flatMap((m) => m.kustomizations.flatMap((k) => [...k.inputs.files])));
  // With --changed: the changed files, and those in the folder of a changed kustomization file or
  // below it (it may have stopped listing them).
  const listedBy = [...(changed ?? [])].filter(isKustomizationFile).map((file) => `${dirname(file)}/`);
  const considered = (file: string) => !changed || changed.has(file) || listedBy.some((dir) => dir === './' || file.startsWith(dir));
  const objects: CheckedObject[] = [];
  for (const file of tree.files) {
    if (builtFiles.has(file) || isKustomizationFile(file) || !considered(file)) continue;
    // clusters/<name>/settings.yaml is read by the tasks, never applied by Flux: check-settings.ts checks it.
    if (isClusterSettingsFile(file)) continue;
    const inOtherCluster = /^clusters\/([^/]+)\//.exec(file)?.[1];
    if (inOtherCluster && !models.some((m) => m.cluster === inOtherCluster)) continue;
    const manifests = tree.manifests(file);
    if (allClusters && manifests.length > 0) {
      findings.push({ severity: 'warning', check: 'graph', rule: 'graph/unreferenced-file', file, line: manifests[0].line, clusters: [],
        message: 'no Flux Kustomization builds this file: it is never applied', hint: 'list it in a kustomization.yaml under a Flux Kustomization\'s path, or delete it' });
    }
    objects.push(...manifests.map((m) => ({ doc: m.doc, file, index: m.index, line: m.line })));
  }
  return objects;
}

// The objects, as their files have them, of the Kustomizations of `model` not in `built`, in the
// YAML files (not kustomization files) that `wanted` picks; each with the Kustomization whose file it is.
function writtenObjects(tree: Tree, model: ClusterModel, built: ReadonlySet<string>, wanted: (file: string, owner: string) => boolean): CheckedObject[] {
  return model.files
    .filter(({ file, owner }) => !built.has(owner) && /\.ya?ml$/.test(file) && !isKustomizationFile(file) && wanted(file, owner))
    .flatMap(({ file, owner }) => tree.manifests(file).map((m) => ({ doc: m.doc, file, index: m.index, line: m.line, cluster: model.cluster, kustomization: owner })));
}

// What --changed compares `objects` with for duplicates: the objects of the Kustomizations not in
// `skip` whose build keeps names and namespaces (buildMayRewrite), in files mentioning one of their names.
function duplicateCandidates(tree: Tree, model: ClusterModel, skip: ReadonlySet<string>, objects: readonly CheckedObject[]): CheckedObject[] {
  const names = [...new Set(objects.map((o) => String(at(o.doc, 'metadata', 'name') ?? '')).filter(Boolean))];
  const keepsNames = new Map(model.kustomizations.map((k) => [k.id, !skip.has(k.id) && !buildMayRewrite(tree, k)]));
  return writtenObjects(tree, model, skip, (file, owner) => keepsNames.get(owner) === true && names.some((name) => tree.mayMention(file, name)));
}

// The ConfigMaps of Kustomizations not built that look like Grafana dashboards.
function unbuiltDashboards(tree: Tree, model: ClusterModel, built: ReadonlySet<string>): CheckedObject[] {
  const looksLikeDashboard = (file: string) => file.includes('/dashboards/') || tree.mayMention(file, 'grafana_dashboard') || tree.mayMention(file, 'grafana-dashboard-');
  return writtenObjects(tree, model, built, looksLikeDashboard).filter((o) => o.doc.kind === 'ConfigMap');
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function byKind(manifests: readonly Manifest[]): Map<string, Manifest[]> {
  const map = new Map<string, Manifest[]>();
  for (const m of manifests) {
    if (String(m.doc.apiVersion ?? '').startsWith('kustomize.config.k8s.io/')) continue;
    const kind = String(m.doc.kind);
    const list = map.get(kind);
    if (list) list.push(m);
    else map.set(kind, [m]);
  }
  return map;
}

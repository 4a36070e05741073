// --changed: the files changed since a base (committed, staged, unstaged and untracked), and the
// Flux Kustomizations they touch: those whose build reads a changed file or whose own definition
// changed, plus those that take postBuild variables (substituteFrom) from a ConfigMap one of them
// builds or generates. A change that may add, drop or rename a Flux object (a deleted file, a file
// defining Kustomizations, sources or HelmReleases, the kustomization file listing one, a patch in
// their build) touches every Kustomization of the cluster: the graph checks of all of them may
// change. referencedKustomizations says what else is built for the selected ones to refer to.
import { dirname } from 'node:path';
import { isFluxSource, isHelmRelease, type ClusterModel, type FluxKustomization } from '../gitops/flux.ts';
import { isYamlFile, nameOf, namespaceOf, type Tree } from '../gitops/tree.ts';
import { at, type Obj } from '../gitops/yaml.ts';
import { isKustomizationFile } from '../kustomize/kustomization.ts';

// Runs git with `args` in the repository and returns its stdout.
export type Git = (args: readonly string[]) => Promise<string>;

// The merge base of HEAD with the default branch (origin's HEAD, else main, else master), and that branch.
export async function defaultBase(git: Git): Promise<{ sha: string; branch: string }> {
  const candidates: string[] = [];
  try {
    candidates.push((await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).trim());
  } catch {
    // no origin/HEAD
  }
  candidates.push('main', 'master');
  for (const branch of candidates.filter(Boolean)) {
    try {
      return { sha: (await git(['merge-base', 'HEAD', branch])).trim(), branch };
    } catch {
      // not this one
    }
  }
  throw new Error('no default branch (origin/HEAD, main or master) to compare with');
}

// Repo-relative files that differ from `base` in the work tree, plus untracked ones; `flux`: those
// whose diff adds or removes a line naming a Flux API group (a Flux object added, dropped or renamed,
// even when the file no longer mentions one).
export async function changedFiles(git: Git, base: string): Promise<{ files: string[]; flux: string[] }> {
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
  const [diff, untracked, flux] = await Promise.all([
    git(['diff', '--name-only', '--no-renames', base, '--']),
    git(['ls-files', '--others', '--exclude-standard']),
    git(['diff', '--name-only', '--no-renames', `-G${FLUX_API_GROUP.source}`, base, '--']),
  ]);
  return { files: [...new Set([...lines(diff), ...lines(untracked)])].sort(), flux: lines(flux).sort() };
}

// What names a Flux API group in a file (kustomize.toolkit.fluxcd.io/v1, …); git reads it as a regex too.
const FLUX_API_GROUP = /toolkit\.fluxcd\.io/;

// The Kustomizations of `model` that `changed` files touch: those whose build reads a changed file
// or whose own definition changed, plus those that take postBuild variables (substituteFrom) from a
// ConfigMap one of them builds or generates (configMapGenerator).
// NOTE: a changed file that no longer exists, or a YAML file that mentions toolkit.fluxcd.io (it
// defines Flux Kustomizations, sources or HelmReleases, whose names others refer to), or a
// kustomization file of a build that holds such objects or with such a file in its folder or below
// (it may have dropped or added one), or a YAML file without objects (a JSON 6902 patch) in such a
// build, may change the graph of every Kustomization: then every Kustomization of the cluster is
// selected (the build cache keeps this cheap).
// `flux`: the changed files whose diff adds or removes a Flux object's line (see changedFiles).
// `providers`: variableProviders(model), when the caller has it already.
export function touchedKustomizations(tree: Tree, model: ClusterModel, changed: ReadonlySet<string>, flux: ReadonlySet<string> = new Set(), providers: VariableProviders = variableProviders(model)): Set<FluxKustomization> {
  if (mayChangeGraph(tree, model, changed, flux)) return new Set(model.kustomizations);
  const selected = new Set(model.kustomizations.filter((k) => changed.has(k.manifest.file) || [...k.inputs.files].some((f) => changed.has(f))));
  // A substituteFrom ConfigMap no file makes as written: a change may have renamed or dropped it
  // (the full run reports it), or a build renames it (then it is built: referencedKustomizations).
  for (const [k, { unmade }] of providers) if (unmade.some((ref) => !ref.optional)) selected.add(k);
  for (let grew = true; grew; ) {
    grew = false;
    const ids = new Set([...selected].map((k) => k.id));
    for (const [k, { owners }] of providers) {
      if (!selected.has(k) && [...owners].some((owner) => ids.has(owner))) {
        selected.add(k);
        grew = true;
      }
    }
  }
  return selected;
}

// For each Kustomization of `model` with substituteFrom ConfigMaps: `owners`, the ids of the
// Kustomizations that build those ConfigMaps, from a manifest or a configMapGenerator (by name;
// namespace when known), and `unmade`, those no file makes as written.
export type VariableProviders = Map<FluxKustomization, { owners: Set<string>; unmade: { name: string; optional: boolean }[] }>;

export function variableProviders(model: ClusterModel): VariableProviders {
  const providers: VariableProviders = new Map();
  let makers: Map<string, ConfigMapMaker[]> | undefined;
  for (const k of model.kustomizations) {
    const from = at(k.manifest.doc, 'spec', 'postBuild', 'substituteFrom');
    const refs = Array.isArray(from) ? from.filter((ref) => at(ref, 'kind') === 'ConfigMap') : [];
    if (refs.length === 0) continue;
    makers ??= configMapMakers(model);
    const madeBy = (name: string) => (makers!.get(name) ?? []).filter((m) => m.namespaces.length === 0 || m.namespaces.includes(k.namespace)).map((m) => m.owner);
    const owners = new Set(refs.flatMap((ref) => madeBy(String(at(ref, 'name')))));
    const unmade = refs.filter((ref) => madeBy(String(at(ref, 'name'))).length === 0).map((ref) => ({ name: String(at(ref, 'name')), optional: at(ref, 'optional') === true }));
    providers.set(k, { owners, unmade });
  }
  return providers;
}

// What --changed builds besides the selected Kustomizations, without checking their objects, so that
// the selected ones are checked as in a full run: the makers of their substituteFrom ConfigMaps (and
// of the makers' own), and the Kustomizations whose build may rename, move or substitute
// (buildMayRewrite) a source or HelmRelease the selected ones refer to, or a substituteFrom
// ConfigMap no file makes as written. "Refer to" goes by name, as their files have it: a name
// referred to that holds the written name (a prefix or suffix added by the build), or a written
// name holding `${`.
export function referencedKustomizations(tree: Tree, model: ClusterModel, selected: ReadonlySet<FluxKustomization>, providers: VariableProviders): FluxKustomization[] {
  const mine = model.kustomizations.filter((k) => selected.has(k));
  // The makers of the variables, and of theirs (a maker substitutes its own ConfigMaps first).
  const picked = new Set<string>();
  for (let next = mine; next.length > 0; ) {
    const owners = next.flatMap((k) => [...(providers.get(k)?.owners ?? [])]).filter((id) => !picked.has(id));
    owners.forEach((id) => picked.add(id));
    next = model.kustomizations.filter((k) => owners.includes(k.id));
  }
  const fluxNames = referredNames(tree, mine);
  const configMapNames = mine.flatMap((k) => (providers.get(k)?.unmade ?? []).map((ref) => ref.name));
  const referred = (names: readonly string[], written: string) => written.includes('${') || names.some((name) => name.includes(written));
  return model.kustomizations.filter((k) => {
    if (selected.has(k)) return false;
    if (picked.has(k.id)) return true;
    if ((fluxNames.length === 0 && configMapNames.length === 0) || !buildMayRewrite(tree, k)) return false;
    const files = [...k.inputs.files].filter(isYamlFile);
    const fluxObjects = files.filter((f) => tree.mayMention(f, 'toolkit.fluxcd.io')).flatMap(tree.manifests).filter((m) => isFluxSource(m.doc) || isHelmRelease(m.doc));
    if (fluxObjects.some((m) => referred(fluxNames, nameOf(m.doc)))) return true;
    if (configMapNames.length === 0) return false;
    return files.flatMap(tree.manifests).some((m) =>
      isKustomizationFile(m.file) ? generatorNames(m.doc).some((name) => referred(configMapNames, name)) : m.doc.kind === 'ConfigMap' && referred(configMapNames, nameOf(m.doc)));
  });
}

// The names of the sources and HelmReleases that Kustomizations `ks` and the HelmReleases in their
// files refer to: sourceRef, chartRef, dependsOn.
function referredNames(tree: Tree, ks: readonly FluxKustomization[]): string[] {
  const names = new Set<string>();
  const add = (value: unknown) => typeof value === 'string' && names.add(value);
  for (const k of ks) {
    add(k.sourceRef?.name);
    for (const file of k.inputs.files) {
      if (!isYamlFile(file) || !tree.mayMention(file, 'toolkit.fluxcd.io')) continue;
      for (const { doc } of tree.manifests(file)) {
        if (!isHelmRelease(doc)) continue;
        add(at(doc, 'spec', 'chart', 'spec', 'sourceRef', 'name'));
        add(at(doc, 'spec', 'chartRef', 'name'));
        const deps = at(doc, 'spec', 'dependsOn');
        for (const dep of Array.isArray(deps) ? deps : []) add(at(dep, 'name'));
      }
    }
  }
  return [...names];
}

const generatorNames = (doc: Obj): string[] => {
  const generators = at(doc, 'configMapGenerator');
  return Array.isArray(generators) ? generators.map((g) => String(at(g, 'name'))) : [];
};

// The kustomization fields that may rename or move objects (or make them from others).
const REWRITING_FIELDS = ['namespace', 'namePrefix', 'nameSuffix', 'patches', 'patchesJson6902', 'patchesStrategicMerge', 'replacements', 'components', 'transformers'];

// Whether building `k` may give its objects other names, namespaces or values than its files have:
// Flux's own namePrefix, nameSuffix, targetNamespace, patches or components, a kustomization file
// with a field that rewrites, or postBuild substitution where a file holds a `${`.
export function buildMayRewrite(tree: Tree, k: FluxKustomization): boolean {
  const spec = at(k.manifest.doc, 'spec');
  if (['namePrefix', 'nameSuffix', 'targetNamespace', 'patches', 'components'].some((field) => at(spec, field) !== undefined)) return true;
  const files = [...k.inputs.files];
  if (files.filter(isKustomizationFile).some((file) => tree.manifests(file).some((m) => REWRITING_FIELDS.some((field) => m.doc[field] !== undefined)))) return true;
  return at(spec, 'postBuild') !== undefined && files.some((f) => tree.mayMention(f, '${'));
}

// Who makes a ConfigMap of a name: the Kustomization building it, and the namespaces it may be in
// (none known: any).
type ConfigMapMaker = { owner: string; namespaces: string[] };

function configMapMakers(model: ClusterModel): Map<string, ConfigMapMaker[]> {
  const makers = new Map<string, ConfigMapMaker[]>();
  const add = (name: string, maker: ConfigMapMaker) => makers.set(name, [...(makers.get(name) ?? []), maker]);
  const targetNamespaces = new Map(model.kustomizations.map((k) => [k.id, at(k.manifest.doc, 'spec', 'targetNamespace')]));
  const known = (...namespaces: unknown[]) => namespaces.filter((n): n is string => typeof n === 'string');
  for (const { manifest, owner } of model.manifests) {
    const doc = manifest.doc;
    if (isKustomizationFile(manifest.file)) {
      const generators = at(doc, 'configMapGenerator');
      for (const generator of Array.isArray(generators) ? generators : []) {
        add(String(at(generator, 'name')), { owner, namespaces: known(targetNamespaces.get(owner), at(doc, 'namespace'), at(generator, 'namespace')) });
      }
    } else if (doc.kind === 'ConfigMap') {
      add(nameOf(doc), { owner, namespaces: known(targetNamespaces.get(owner), namespaceOf(doc)) });
    }
  }
  return makers;
}

// Whether a changed file may add, drop or rename a Flux object of the cluster (see touchedKustomizations).
function mayChangeGraph(tree: Tree, model: ClusterModel, changed: ReadonlySet<string>, flux: ReadonlySet<string>): boolean {
  const definesFlux = (file: string) => isYamlFile(file) && tree.mayMention(file, 'toolkit.fluxcd.io');
  const holdsFlux = (owner: string) => [...(model.kustomizations.find((k) => k.id === owner)?.inputs.files ?? [])].some(definesFlux);
  // A kustomization file with a Flux file in its folder or below may just have stopped listing it.
  const besideFlux = (file: string) => {
    const dir = `${dirname(file)}/`;
    return tree.files.some((f) => (dir === './' || f.startsWith(dir)) && definesFlux(f));
  };
  // A YAML file without objects (a JSON 6902 patch) in a build of Flux objects may rename one.
  const patchOfFlux = (file: string) => isYamlFile(file) && tree.manifests(file).length === 0 && model.files.some((f) => f.file === file && holdsFlux(f.owner));
  return [...changed].some((file) =>
    tree.kind(file) === undefined || flux.has(file) || definesFlux(file) || patchOfFlux(file) ||
    (isKustomizationFile(file) && (besideFlux(file) || model.files.some((f) => f.file === file && holdsFlux(f.owner)))));
}

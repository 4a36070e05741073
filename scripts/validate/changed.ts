// --changed: the files changed since a base (committed, staged, unstaged and untracked), and the
// Flux Kustomizations they touch: those whose build reads a changed file or whose own definition
// changed, plus those that take postBuild variables (substituteFrom) from a ConfigMap one of them
// builds or generates. A change that may add, drop or rename a Flux object (a deleted file, a file
// defining Kustomizations, sources or HelmReleases, or the kustomization file listing one) touches
// every Kustomization of the cluster: the graph checks of all of them may change.
import type { ClusterModel, FluxKustomization } from '../gitops/flux.ts';
import { isYamlFile, nameOf, namespaceOf, type Tree } from '../gitops/tree.ts';
import { at } from '../gitops/yaml.ts';
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
// kustomization file of a build that holds such objects (it may have dropped or added one), may
// change the graph of every Kustomization: then every Kustomization of the cluster is selected
// (the build cache keeps this cheap).
// `flux`: the changed files whose diff adds or removes a Flux object's line (see changedFiles).
// `providers`: variableProviders(model), when the caller has it already.
export function touchedKustomizations(tree: Tree, model: ClusterModel, changed: ReadonlySet<string>, flux: ReadonlySet<string> = new Set(), providers = variableProviders(model)): Set<FluxKustomization> {
  if (mayChangeGraph(tree, model, changed, flux)) return new Set(model.kustomizations);
  const selected = new Set(model.kustomizations.filter((k) => changed.has(k.manifest.file) || [...k.inputs.files].some((f) => changed.has(f))));
  for (let grew = true; grew; ) {
    grew = false;
    const ids = new Set([...selected].map((k) => k.id));
    for (const [k, owners] of providers) {
      if (!selected.has(k) && [...owners].some((owner) => ids.has(owner))) {
        selected.add(k);
        grew = true;
      }
    }
  }
  return selected;
}

// For each Kustomization of `model` with substituteFrom ConfigMaps: the ids of the Kustomizations
// that build those ConfigMaps, from a manifest or a configMapGenerator (by name; namespace when known).
export function variableProviders(model: ClusterModel): Map<FluxKustomization, Set<string>> {
  const providers = new Map<FluxKustomization, Set<string>>();
  let makers: Map<string, ConfigMapMaker[]> | undefined;
  for (const k of model.kustomizations) {
    const from = at(k.manifest.doc, 'spec', 'postBuild', 'substituteFrom');
    const names = Array.isArray(from) ? from.filter((ref) => at(ref, 'kind') === 'ConfigMap').map((ref) => String(at(ref, 'name'))) : [];
    if (names.length === 0) continue;
    makers ??= configMapMakers(model);
    const owners = names.flatMap((name) => (makers!.get(name) ?? []).filter((m) => m.namespaces.length === 0 || m.namespaces.includes(k.namespace)).map((m) => m.owner));
    providers.set(k, new Set(owners));
  }
  return providers;
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
  return [...changed].some((file) =>
    tree.kind(file) === undefined || flux.has(file) || definesFlux(file) ||
    (isKustomizationFile(file) && model.files.some((f) => f.file === file && holdsFlux(f.owner))));
}

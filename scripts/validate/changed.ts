// --changed: the files changed since a base (committed, staged, unstaged and untracked), and the
// Flux Kustomizations they touch: those whose build reads a changed file or whose own definition
// changed, plus those that take postBuild variables (substituteFrom) from a ConfigMap one of them builds.
import type { ClusterModel, FluxKustomization } from '../gitops/flux.ts';
import { nameOf, namespaceOf } from '../gitops/tree.ts';
import { at } from '../gitops/yaml.ts';

// Runs git with `args` in the repository and returns its stdout.
export type Git = (args: readonly string[]) => Promise<string>;

// The merge base of HEAD with the default branch (origin's HEAD, else main, else master).
export async function defaultBase(git: Git): Promise<string> {
  const candidates: string[] = [];
  try {
    candidates.push((await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).trim());
  } catch {
    // no origin/HEAD
  }
  candidates.push('main', 'master');
  for (const branch of candidates.filter(Boolean)) {
    try {
      return (await git(['merge-base', 'HEAD', branch])).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('no default branch (origin/HEAD, main or master) to compare with');
}

// Repo-relative files that differ from `base` in the work tree, plus untracked ones.
export async function changedFiles(git: Git, base: string): Promise<string[]> {
  const [diff, untracked] = await Promise.all([git(['diff', '--name-only', '--no-renames', base, '--']), git(['ls-files', '--others', '--exclude-standard'])]);
  return [...new Set([...diff.split('\n'), ...untracked.split('\n')].map((l) => l.trim()).filter(Boolean))].sort();
}

// The Kustomizations of `model` that `changed` files touch, with their substituteFrom dependents.
export function touchedKustomizations(model: ClusterModel, changed: ReadonlySet<string>): Set<FluxKustomization> {
  const selected = new Set(model.kustomizations.filter((k) => changed.has(k.manifest.file) || [...k.inputs.files].some((f) => changed.has(f))));
  const ownersOf = (name: string, namespace: string) =>
    model.manifests.filter((m) => m.manifest.doc.kind === 'ConfigMap' && nameOf(m.manifest.doc) === name && (namespaceOf(m.manifest.doc) ?? namespace) === namespace).map((m) => m.owner);
  for (let grew = true; grew; ) {
    grew = false;
    for (const k of model.kustomizations) {
      if (selected.has(k)) continue;
      const from = at(k.manifest.doc, 'spec', 'postBuild', 'substituteFrom');
      const sources = Array.isArray(from) ? from.filter((ref) => at(ref, 'kind') === 'ConfigMap') : [];
      const owners = sources.flatMap((ref) => ownersOf(String(at(ref, 'name')), k.namespace));
      if (owners.some((owner) => [...selected].some((s) => s.id === owner))) {
        selected.add(k);
        grew = true;
      }
    }
  }
  return selected;
}

// What `test` and `diff` apply: a file as it is, or a directory built as Flux would build it — the
// Flux Kustomization whose path it is gives its transformations, commonMetadata and postBuild
// substitution (validate's build); another directory with a kustomization is built plainly.
// Output that Flux would never apply as it stands (an unresolved ${VAR}, SOPS ciphertext) is refused.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { TaskError, UsageError } from '../core/errors.ts';
import type { Runner } from '../exec/runner.ts';
import { clusterModels } from '../gitops/flux.ts';
import { kustomizationFileOf } from '../gitops/inputs.ts';
import { loadTree, walkFiles } from '../gitops/tree.ts';
import { at, isObj, type Obj } from '../gitops/yaml.ts';
import { buildAll } from '../validate/build.ts';
import { buildRequestOf } from '../validate/build.ts';
import type { NewFinding } from '../validate/findings.ts';
import { kustomizeWith } from '../validate/run.ts';
import { applyCommonMetadata, substitute, substitutionDisabled } from '../validate/substitute.ts';
import { variablesOf } from '../validate/variables.ts';

export type Built = {
  // Repo-relative path that was built.
  path: string;
  // How: 'file', 'flux' (as Flux Kustomization <id> builds it), 'kustomize', 'directory'.
  how: string;
  objects: Obj[];
  // The objects as one multi-document YAML stream, for kubectl -f -.
  yaml: string;
};

// The repo-relative path of a command-line path (relative to where the command was run).
export function repoPath(root: string, from: string, path: string): string {
  const full = resolve(from, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || rel === '' && path !== '.') throw new UsageError(`${path} is outside the repository (${root})`);
  if (!existsSync(full)) throw new UsageError(`${path} does not exist`);
  return rel.split(sep).join('/') || '.';
}

// Builds `path` (repo-relative) and checks the result.
export async function buildPath(root: string, path: string, runner: Pick<Runner, 'run'>): Promise<Built> {
  const full = resolve(root, path);
  let built: Omit<Built, 'yaml'>;
  if (statSync(full).isFile()) {
    built = { path, how: 'file', objects: parseObjects(readFileSync(full, 'utf8'), path) };
  } else if (kustomizationFileOf(root, path)) {
    built = await buildDirectory(root, path, runner);
  } else {
    const files = walkFiles(root, path).filter((f) => /\.ya?ml$/.test(f));
    built = { path, how: 'directory', objects: files.flatMap((f) => parseObjects(readFileSync(resolve(root, f), 'utf8'), f)) };
  }
  if (built.objects.length === 0) throw new TaskError(`${path} has no Kubernetes objects to apply`, { hint: 'name a manifest file or a directory of manifests' });
  refuseUnready(built.objects, path);
  return { ...built, yaml: built.objects.map((doc) => stringify(doc)).join('---\n') };
}

async function buildDirectory(root: string, path: string, runner: Pick<Runner, 'run'>): Promise<Omit<Built, 'yaml'>> {
  const tree = loadTree(root);
  const models = clusterModels(tree);
  const owner = models.flatMap((model) => model.kustomizations.map((k) => ({ model, k }))).find(({ k }) => k.local && k.path === path);
  const request = owner ? buildRequestOf(owner.k) : { key: JSON.stringify([path, {}]), path, transforms: {} };
  const outcome = (await buildAll(root, [request], kustomizeWith(runner), 1)).get(request.key);
  if (!outcome || !outcome.ok) {
    throw new TaskError(`kustomize build of ${path} failed`, { details: outcome && !outcome.ok ? outcome.message : undefined, hint: `run \`kubectl kustomize ${path}\` and fix the file it names` });
  }
  const objects = outcome.objects.map((o) => structuredClone(o.doc));
  if (!owner) return { path, how: 'kustomize', objects };
  const { model, k } = owner;
  const postBuild = at(k.manifest.doc, 'spec', 'postBuild');
  const findings: NewFinding[] = [];
  const clusterDocs = model.manifests.map((m) => m.manifest.doc).concat(objects);
  const variables = isObj(postBuild) ? variablesOf(k, postBuild, (predicate) => clusterDocs.find(predicate), model.cluster, findings, tree) : undefined;
  for (const doc of objects) {
    applyCommonMetadata(doc, at(k.manifest.doc, 'spec', 'commonMetadata'));
    if (variables && !substitutionDisabled(doc)) substitute(doc, variables.values);
  }
  return { path, how: `flux (as Kustomization ${k.id} of cluster ${model.cluster} builds it)`, objects };
}

function parseObjects(text: string, file: string): Obj[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length) throw new TaskError(`${file} is not valid YAML: ${document.errors[0].message}`, { hint: `fix ${file}, or run npx zx tasks/validate.ts` });
    const doc = document.toJS();
    return isObj(doc) && typeof doc.kind === 'string' ? [doc] : [];
  });
}

const VARIABLE = /(?<!\$)\$\{[_a-zA-Z][_a-zA-Z0-9]*([:=-][^}]*)?\}/;

// Refuses objects Flux would not apply as they are: a ${VAR} left (outside objects that disable
// substitution), or SOPS ciphertext (Flux decrypts it in the cluster; kubectl cannot).
export function refuseUnready(objects: readonly Obj[], path: string): void {
  for (const doc of objects) {
    const name = `${String(doc.kind)} ${String(at(doc, 'metadata', 'name') ?? '')}`;
    const text = JSON.stringify(doc);
    if (isObj(doc.sops) || /ENC\[AES256_GCM,/.test(text)) {
      throw new TaskError(`${name} in ${path} is SOPS-encrypted: kubectl would apply the ciphertext`, {
        hint: 'let Flux decrypt it (commit it and resume), or apply a decrypted copy by hand with sops -d … | kubectl apply -f -',
      });
    }
    const variable = substitutionDisabled(doc) ? undefined : VARIABLE.exec(text)?.[0];
    if (variable) {
      throw new TaskError(`${name} in ${path} still contains ${variable} after the build`, {
        hint: 'give the variable a value in the Flux Kustomization\'s postBuild (substitute or a substituteFrom ConfigMap), or test the directory Flux builds (its spec.path) so its variables apply',
      });
    }
  }
}

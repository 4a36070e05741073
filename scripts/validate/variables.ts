// The postBuild variables of one Flux Kustomization, as kustomize-controller gathers them: the
// ConfigMaps and Secrets of spec.postBuild.substituteFrom in order (later ones win), then
// spec.postBuild.substitute over them. ConfigMaps are looked up among the cluster's built objects;
// Secrets' values are unknown offline (a warning, and unresolved variables become warnings).
import type { FluxKustomization } from '../gitops/flux.ts';
import { nameOf, namespaceOf, type Tree } from '../gitops/tree.ts';
import { at, isObj, type Obj } from '../gitops/yaml.ts';
import type { NewFinding } from './findings.ts';
import type { Variables } from './substitute.ts';

// `find` returns the first object of the cluster that matches (built objects first).
export function variablesOf(k: FluxKustomization, postBuild: Obj, find: (predicate: (doc: Obj) => boolean) => Obj | undefined, cluster: string, findings: NewFinding[], tree: Tree): Variables {
  const values = new Map<string, string>();
  const secretSources: string[] = [];
  const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
  from.forEach((ref: unknown, i: number) => {
    const kind = String(at(ref, 'kind'));
    const name = String(at(ref, 'name'));
    const optional = at(ref, 'optional') === true;
    const line = tree.yaml(k.manifest.file)?.lineOf(k.manifest.index, ['spec', 'postBuild', 'substituteFrom', i]) ?? k.manifest.line;
    const base = { check: 'graph' as const, file: k.manifest.file, line, object: `Kustomization ${k.id}`, kustomization: k.id, clusters: [cluster] };
    if (kind === 'Secret') {
      secretSources.push(`${k.namespace}/${name}`);
      findings.push({ ...base, severity: 'warning', rule: 'graph/secret-substitution',
        message: `substituteFrom Secret ${k.namespace}/${name}: its values are not known offline, so variables it may define are not checked`,
        hint: 'put non-secret variables in a ConfigMap in the repository (or in postBuild.substitute)' });
      return;
    }
    const configMap = find((doc) => doc.kind === 'ConfigMap' && doc.apiVersion === 'v1' && nameOf(doc) === name && (namespaceOf(doc) ?? k.namespace) === k.namespace);
    if (!configMap) {
      if (!optional) {
        findings.push({ ...base, severity: 'error', rule: 'graph/missing-substitute-source',
          message: `substituteFrom ConfigMap ${k.namespace}/${name} is not defined in cluster ${cluster}: the Kustomization would fail`,
          hint: 'add the ConfigMap (in the Kustomization\'s namespace) to a Kustomization it depends on, or mark the reference optional: true' });
      }
      return;
    }
    const data = at(configMap, 'data');
    if (isObj(data)) for (const [key, value] of Object.entries(data)) values.set(key, String(value));
  });
  const substitute = postBuild.substitute;
  if (isObj(substitute)) for (const [key, value] of Object.entries(substitute)) values.set(key, String(value));
  return { values, secretSources };
}

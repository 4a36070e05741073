// `--from <dir>`: loads a repo path's manifests as if Flux had applied them (server-side, kustomize-controller).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { serverSideApply } from './apply-ssa.ts';
import type { Cluster } from './cluster.ts';
import { seedObject } from './seed.ts';
import { KUSTOMIZE_CONTROLLER, isJsonObject, type KubeObject } from './kube.ts';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

// Every Kubernetes object in the YAML files under `dir` (kustomize configs skipped), CRDs first.
export function readObjects(dir: string): KubeObject[] {
  const objects = yamlFiles(dir).flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d): unknown => d.toJS()))
    .filter((o): o is KubeObject => isJsonObject(o) && Boolean(o.apiVersion && o.kind && isJsonObject(o.metadata) && o.metadata.name))
    .filter((o) => !String(o.apiVersion).startsWith('kustomize.config.k8s.io'));
  return [...objects.filter((o) => o.kind === 'CustomResourceDefinition'), ...objects.filter((o) => o.kind !== 'CustomResourceDefinition')];
}

// Loads the objects under `dir`, creating namespaces as needed; returns the names of kinds it had to skip.
export function loadFrom(cluster: Cluster, dir: string): string[] {
  const skipped: string[] = [];
  const nsType = cluster.registry.byPlural('', 'v1', 'namespaces')!;
  for (const raw of readObjects(dir)) {
    const rt = cluster.registry.byKind(raw.apiVersion, raw.kind);
    if (!rt) { skipped.push(`${raw.kind}/${raw.metadata.name}`); continue; }
    if (rt.namespaced) {
      raw.metadata.namespace ??= 'default';
      if (!cluster.store.peek(nsType, undefined, raw.metadata.namespace)) seedObject(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: raw.metadata.namespace } });
    } else delete raw.metadata.namespace;
    const live = cluster.store.get(rt, raw.metadata.namespace, raw.metadata.name);
    const merged = serverSideApply(live, raw, KUSTOMIZE_CONTROLLER, true, rt.builtin);
    if (live) {
      merged.metadata.resourceVersion = live.metadata.resourceVersion;
      if (rt.hasGeneration) merged.metadata.generation = (live.metadata.generation ?? 1) + 1;
      cluster.store.save(rt, merged);
    } else seedObject(cluster, merged);
  }
  return skipped;
}

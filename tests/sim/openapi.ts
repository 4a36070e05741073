// /openapi/v3: per group-version documents whose PATCH operations carry `fieldValidation`, so kubectl leaves
// validation to the server (fieldValidation=Strict). No requestBody is described, so kubectl builds strategic
// merge patches from its compiled-in types (it asks /openapi/v2, which answers 404, and falls back).
import { createHash } from 'node:crypto';
import type { Registry, ResourceType } from './resources.ts';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function hashOf(registry: Registry, group: string, version: string): string {
  const kinds = registry.types.filter((t) => t.group === group && t.version === version).map((t) => t.kind).join(',');
  return createHash('sha512').update(kinds).digest('hex').slice(0, 128).toUpperCase();
}

// The /openapi/v3 index.
export function openApiIndex(registry: Registry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of registry.groupVersions()) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(registry, group, version)}` };
  }
  return { paths };
}

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

function operations(t: ResourceType) {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const op = (action: string, params: string[]) => ({
    operationId: `${action}${t.kind}`, parameters: params.map(QUERY),
    responses: { '200': { description: 'OK' } }, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk,
  });
  const write = ['dryRun', 'fieldManager', 'fieldValidation'];
  return {
    collection: { get: op('list', ['labelSelector', 'fieldSelector', 'watch']), post: op('post', write) },
    item: { get: op('get', []), put: op('put', write), patch: op('patch', [...write, 'force']), delete: op('delete', ['dryRun']) },
  };
}

type Operations = ReturnType<typeof operations>;

// The document for `api/v1` or `apis/<group>/<version>`, or undefined when not served.
export function openApiDocument(registry: Registry, path: string) {
  const gv = registry.groupVersions().find(({ group, version }) => gvPath(group, version) === path);
  if (!gv) return undefined;
  const paths: Record<string, Operations['collection'] | Operations['item']> = {};
  const prefix = `/${path}`;
  for (const t of registry.types.filter((x) => x.group === gv.group && x.version === gv.version)) {
    const base = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
    const ops = operations(t);
    paths[base] = ops.collection;
    paths[`${base}/{name}`] = ops.item;
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas: {} } };
}

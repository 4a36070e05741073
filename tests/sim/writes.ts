// Mutating requests: create, update, patch (merge, json, strategic, apply) and delete, with dry-run.
import { parse as parseYaml } from 'yaml';
import { recordUpdate, serverSideApply } from './apply-ssa.ts';
import type { Cluster } from './cluster.ts';
import { applyDefaults } from './defaults.ts';
import { SimError, alreadyExists, badRequest, notFound, staleConflict, status, type Status } from './errors.ts';
import { canonical, jsonMergePatch, jsonPatch, strategicMergePatch } from './patch.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { clone, nowTime } from './store.ts';
import { checkFields, validateObject } from './validation.ts';
import { isJsonObject, type KubeObject, type ObjectMeta } from './kube.ts';

export type WriteRequest = { rt: ResourceType; namespace?: string; name?: string; query: Record<string, string>; contentType: string; body: unknown; userAgent: string };
// `object` is the stored (or would-be) object, or a Success Status for a delete.
export type WriteResult = { code: number; object: KubeObject | DeleteStatus; warnings: string[] };
type DeleteStatus = Omit<Status, 'message' | 'reason' | 'code' | 'status'> & { status: 'Success' };

const SERVER_META = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp'] as const;
const KEPT_META = ['uid', 'creationTimestamp', 'generation'] as const;

function managerOf(req: WriteRequest, fallback?: string): string {
  return req.query.fieldManager || fallback || req.userAgent.split('/')[0] || 'unknown';
}

function checkNamespace(cluster: Cluster, req: WriteRequest): void {
  if (!req.rt.namespaced || !req.namespace) return;
  const nsType = cluster.registry.byPlural('', 'v1', 'namespaces')!;
  if (!cluster.store.peek(nsType, undefined, req.namespace)) throw notFound(nsType, req.namespace);
}

// Checks and completes apiVersion, kind and namespace of a decoded body, which from then on is an
// object (its name is checked by validateObject).
function checkTypeMeta(req: WriteRequest, obj: unknown): asserts obj is KubeObject {
  if (!isJsonObject(obj)) throw badRequest('Object \'Kind\' is missing in \'null\'');
  const expected = apiVersionOf(req.rt);
  if (obj.apiVersion && obj.apiVersion !== expected) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  obj.apiVersion = expected;
  obj.kind = req.rt.kind;
  const metadata = (obj.metadata ??= {}) as ObjectMeta;
  if (req.rt.namespaced) {
    if (metadata.namespace && req.namespace && metadata.namespace !== req.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    metadata.namespace = req.namespace;
  } else delete metadata.namespace;
}

function withoutVolatile(obj: KubeObject): unknown {
  const copy = clone(obj);
  delete copy.metadata.resourceVersion;
  for (const e of copy.metadata.managedFields ?? []) delete e.time;
  return canonical(copy);
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => { const { metadata: _m, status: _s, ...rest } = o; return JSON.stringify(canonical(rest)); };
  return strip(a) !== strip(b);
}

// Final steps shared by every write: defaults, validation, generation, field ownership, storage.
function commit(cluster: Cluster, req: WriteRequest, old: KubeObject | undefined, next: KubeObject, manager: string, applied: boolean): WriteResult {
  const { rt } = req;
  applyDefaults(rt, next);
  validateObject(rt, next);
  if (old) {
    const kept: Record<string, unknown> = next.metadata;
    for (const k of KEPT_META) if (old.metadata[k] !== undefined) kept[k] = old.metadata[k]; else delete next.metadata[k];
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (rt.hasStatus && rt.kind !== 'Namespace') { if (old.status === undefined) delete next.status; else next.status = clone(old.status); }
    if (rt.hasGeneration && specChanged(old, next)) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
  } else {
    for (const k of SERVER_META) delete next.metadata[k];
    if (rt.hasStatus && rt.kind !== 'Namespace') delete next.status;
    if (rt.hasGeneration) next.metadata.generation = 1;
    applyDefaults(rt, next);
  }
  if (!applied) recordUpdate(old, next, manager, rt.builtin);
  const dryRun = req.query.dryRun === 'All';
  if (old && JSON.stringify(withoutVolatile(old)) === JSON.stringify(withoutVolatile(next))) return { code: 200, object: old, warnings: [] };
  if (dryRun) {
    if (!old) { next.metadata.uid = crypto.randomUUID(); next.metadata.creationTimestamp = nowTime(); }
    return { code: old ? 200 : 201, object: next, warnings: [] };
  }
  const stored = cluster.store.save(rt, next);
  if (rt.kind === 'CustomResourceDefinition') cluster.registry.registerCrd(stored);
  return { code: old ? 200 : 201, object: stored, warnings: [] };
}

// POST to a collection.
export function createObject(cluster: Cluster, req: WriteRequest): WriteResult {
  const obj = clone(req.body);
  checkTypeMeta(req, obj);
  const warnings = checkFields(req.rt, obj, req.query.fieldValidation);
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + Math.random().toString(36).slice(2, 7);
  checkNamespace(cluster, req);
  validateObject(req.rt, obj);
  if (cluster.store.peek(req.rt, req.namespace, obj.metadata.name)) throw alreadyExists(req.rt, obj.metadata.name);
  const result = commit(cluster, req, undefined, obj, managerOf(req), false);
  return { ...result, warnings };
}

// PUT to an object: full replacement, optimistic concurrency on metadata.resourceVersion.
export function updateObject(cluster: Cluster, req: WriteRequest): WriteResult {
  const obj = clone(req.body);
  checkTypeMeta(req, obj);
  const warnings = checkFields(req.rt, obj, req.query.fieldValidation);
  if (obj.metadata.name !== req.name) throw badRequest('the name of the object (' + obj.metadata.name + ') does not match the name on the URL (' + req.name + ')');
  const old = cluster.mustGet(req.rt, req.namespace, req.name!);
  if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw staleConflict(req.rt, req.name!);
  if (!obj.metadata.managedFields) obj.metadata.managedFields = old.metadata.managedFields;
  return { ...commit(cluster, req, old, obj, managerOf(req), false), warnings };
}

function parseApplyBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try { return parseYaml(body); } catch (e) { throw badRequest(`error decoding YAML: ${(e as Error).message}`); }
}

// PATCH to an object, by content type; apply-patch creates the object when it is missing.
export function patchObject(cluster: Cluster, req: WriteRequest): WriteResult {
  const { rt } = req;
  const type = req.contentType.split(';')[0].trim();
  if (type === 'application/apply-patch+yaml') return applyObject(cluster, req);
  const old = cluster.mustGet(rt, req.namespace, req.name!);
  let next: unknown;
  try {
    if (type === 'application/merge-patch+json') next = jsonMergePatch(old, req.body);
    else if (type === 'application/json-patch+json') next = jsonPatch(old, req.body);
    else if (type === 'application/strategic-merge-patch+json' && rt.builtin) next = strategicMergePatch(old, req.body);
    else throw new SimError(status(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${rt.builtin ? ', application/strategic-merge-patch+json' : ''}`, 'UnsupportedMediaType'));
  } catch (e) {
    if (e instanceof SimError) throw e;
    throw new SimError(status(422, 'the server rejected our request due to an error in our request', 'Invalid', { causes: [{ reason: 'UnexpectedServerResponse', message: (e as Error).message }] }));
  }
  checkTypeMeta(req, next);
  const warnings = checkFields(rt, next, req.query.fieldValidation);
  if (next.metadata.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) throw staleConflict(rt, req.name!);
  if (next.metadata.name !== req.name) throw badRequest(`metadata.name: Invalid value: "${next.metadata.name}": field is immutable`);
  return { ...commit(cluster, req, old, next, managerOf(req), false), warnings };
}

function applyObject(cluster: Cluster, req: WriteRequest): WriteResult {
  const { rt } = req;
  const config = parseApplyBody(req.body);
  checkTypeMeta(req, config);
  const warnings = checkFields(rt, config, req.query.fieldValidation);
  if (config.metadata.name !== req.name) throw badRequest(`metadata.name: Invalid value: "${config.metadata.name}": field is immutable`);
  if (!req.query.fieldManager) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  const old = cluster.store.get(rt, req.namespace, req.name!);
  if (!old) checkNamespace(cluster, req);
  if (old && config.metadata.resourceVersion && config.metadata.resourceVersion !== old.metadata.resourceVersion) throw staleConflict(rt, req.name!);
  delete config.metadata.resourceVersion;
  const next = serverSideApply(old, config, req.query.fieldManager, req.query.force === 'true', rt.builtin);
  return { ...commit(cluster, req, old, next, req.query.fieldManager, true), warnings };
}

// DELETE of one object: removed at once (no finalizers); namespaces take their objects with them.
export function deleteObject(cluster: Cluster, req: WriteRequest): WriteResult {
  const { rt } = req;
  const old = cluster.mustGet(rt, req.namespace, req.name!);
  const pre = isJsonObject(req.body) && isJsonObject(req.body.preconditions) ? req.body.preconditions : undefined;
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) throw staleConflict(rt, req.name!);
  const body: DeleteStatus = {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
    details: { name: req.name, group: rt.group || undefined, kind: rt.plural, uid: old.metadata.uid },
  };
  if (req.query.dryRun === 'All') return { code: 200, object: body, warnings: [] };
  cluster.store.remove(rt, req.namespace, req.name!);
  if (rt.kind === 'Namespace' && rt.group === '') {
    for (const t of cluster.registry.types) if (t.namespaced) for (const o of cluster.store.list(t, req.name)) cluster.store.remove(t, req.name, o.metadata.name);
  }
  if (rt.kind === 'CustomResourceDefinition') {
    const served = cluster.registry.types.filter((t) => t.group === old.spec?.group && t.plural === old.spec?.names?.plural);
    for (const t of served) for (const o of cluster.store.list(t)) cluster.store.remove(t, o.metadata.namespace, o.metadata.name);
    cluster.registry.unregisterCrd(old);
  }
  return { code: 200, object: body, warnings: [] };
}

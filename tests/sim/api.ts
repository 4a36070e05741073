// Routes /api and /apis requests: discovery, reads, writes, watches and pod logs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts';
import { SimError, badRequest, notFound, notServed, status } from './errors.ts';
import { openApiDocument, openApiIndex } from './openapi.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { fieldSelector, labelSelector } from './selectors.ts';
import { toTable, wantsTable } from './table.ts';
import { serveWatch } from './watch.ts';
import { createObject, deleteObject, patchObject, updateObject, type WriteResult } from './writes.ts';
import { readLog } from './pods.ts';

export type ApiRequest = { method: string; path: string; query: Record<string, string>; contentType: string; body: unknown; headers: IncomingMessage['headers'] };
export type Target = { rt: ResourceType; namespace?: string; name?: string; sub?: string };
export type Reply = { code: number; body: unknown; contentType?: string; warnings?: string[] } | { stream: true };

const json = (code: number, body: unknown, warnings?: string[]): Reply => ({ code, body, warnings });

// Resolves a resource path, or returns undefined for a non-resource path; throws 404 for an unknown resource.
export function resolveTarget(cluster: Cluster, path: string): Target | undefined {
  const segs = path.split('/').filter(Boolean);
  let group: string, version: string, rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) { group = ''; version = segs[1]; rest = segs.slice(2); }
  else if (segs[0] === 'apis' && segs.length >= 4) { group = segs[1]; version = segs[2]; rest = segs.slice(3); }
  else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && cluster.registry.byPlural(group, version, rest[2])) { namespace = rest[1]; rest = rest.slice(2); }
  const rt = cluster.registry.byPlural(group, version, rest[0]);
  if (!rt) throw notServed();
  if (rt.namespaced === false && namespace) throw notServed();
  return { rt, namespace, name: rest[1], sub: rest[2] };
}

function discovery(cluster: Cluster, path: string, hostPort: string): object | undefined {
  const segs = path.split('/').filter(Boolean);
  if (path === '/api' || path === '/api/') return apiVersions(hostPort);
  if (path === '/apis' || path === '/apis/') return apiGroupList(cluster.registry);
  if (segs[0] === 'api' && segs.length === 2) return apiResourceList(cluster.registry, '', segs[1]);
  if (segs[0] === 'apis' && segs.length === 2) return apiGroup(cluster.registry, segs[1]);
  if (segs[0] === 'apis' && segs.length === 3) return apiResourceList(cluster.registry, segs[1], segs[2]);
  if (path === '/openapi/v3') return openApiIndex(cluster.registry);
  if (path.startsWith('/openapi/v3/')) return openApiDocument(cluster.registry, path.slice('/openapi/v3/'.length));
  return undefined;
}

// The verb the API server's audit log would record for this request.
export function verbOf(method: string, target: Target | undefined, query: Record<string, string>): string {
  const named = Boolean(target?.name);
  switch (method) {
    case 'GET': return !target || named ? 'get' : query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

function list(cluster: Cluster, t: Target, req: ApiRequest): Reply {
  const match = [labelSelector(req.query.labelSelector), fieldSelector(t.rt, req.query.fieldSelector)];
  const items = cluster.store.list(t.rt, t.namespace).filter((o) => match.every((m) => m(o)));
  const rv = String(cluster.store.rv);
  if (wantsTable(req.headers.accept)) return json(200, toTable(t.rt, items, rv));
  return json(200, { kind: t.rt.listKind, apiVersion: apiVersionOf(t.rt), metadata: { resourceVersion: rv }, items });
}

function get(cluster: Cluster, t: Target, req: ApiRequest): Reply {
  const obj = cluster.store.get(t.rt, t.namespace, t.name!);
  if (!obj) throw notFound(t.rt, t.name!);
  if (t.sub === 'log') return { code: 200, body: readLog(cluster, obj, req.query), contentType: 'text/plain' };
  if (wantsTable(req.headers.accept)) return json(200, toTable(t.rt, [obj], String(cluster.store.rv)));
  return json(200, obj);
}

function written(result: WriteResult): Reply {
  return json(result.code, result.object, result.warnings);
}

// Handles one API request; returns the reply or { stream: true } when it has taken over the response.
export function handleApi(cluster: Cluster, req: ApiRequest, res: ServerResponse, hostPort: string, onClose: (fn: () => void) => void): Reply {
  if (req.method === 'GET') {
    const doc = discovery(cluster, req.path, hostPort);
    if (doc) return json(200, doc);
    if (req.path === '/version' || req.path === '/version/') return json(200, versionInfo());
    // An empty protobuf OpenAPI v2 Document: kubectl finds no schema in it and uses its compiled-in types.
    if (req.path === '/openapi/v2') return { code: 200, body: '', contentType: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' };
  }
  const t = resolveTarget(cluster, req.path);
  if (!t) throw notServed();
  const write = { rt: t.rt, namespace: t.namespace, name: t.name, query: req.query, contentType: req.contentType, body: req.body, userAgent: String(req.headers['user-agent'] ?? '') };
  if (t.sub && t.sub !== 'log' && t.sub !== 'status') throw notServed();
  switch (verbOf(req.method, t, req.query)) {
    case 'get': return get(cluster, t, req);
    case 'list': return list(cluster, t, req);
    case 'watch': {
      if (req.query.sendInitialEvents === 'true' && req.query.resourceVersionMatch !== 'NotOlderThan') throw badRequest('sendInitialEvents requires resourceVersionMatch=NotOlderThan');
      const match = [labelSelector(req.query.labelSelector), fieldSelector(t.rt, req.query.fieldSelector)];
      serveWatch(cluster, { rt: t.rt, namespace: t.namespace, match: (o) => match.every((m) => m(o)), query: req.query }, res, onClose);
      return { stream: true };
    }
    case 'create': if (t.name) break; return written(createObject(cluster, write));
    case 'update': return written(updateObject(cluster, write));
    case 'patch': return written(patchObject(cluster, write));
    case 'delete': return written(deleteObject(cluster, write));
  }
  throw new SimError(status(405, `the server does not allow this method on the requested resource`, 'MethodNotAllowed'));
}

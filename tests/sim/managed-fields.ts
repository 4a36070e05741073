// metadata.managedFields: field sets per manager, read from and written back to FieldsV1 trees.
import { isJsonObject, type FieldsV1, type KubeObject, type ManagedFieldsEntry } from './kube.ts';
import { canonical, mergeKeyFor } from './patch.ts';

export type Path = string[]; // segments like 'f:data', 'k:{"name":"x"}'
export type ManagerEntry = { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; time?: string; subresource?: string; fields: Map<string, Path> };

const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp']);
// Non-pointer structs: their presence is not owned, so FieldsV1 shows no `.` for them.
const NO_DOT = new Set(['f:metadata', 'f:spec', 'f:template', 'f:strategy']);

export const pathKey = (p: Path) => p.join('\u0001');

// Leaf field paths of an object (status and server-set metadata excluded); keyed lists use `k:` items.
export function leafPaths(obj: unknown, builtin: boolean): Path[] {
  const out: Path[] = [];
  const walk = (value: unknown, path: Path, field: string) => {
    if (isJsonObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, `f:${k}`], k);
      return;
    }
    const items = builtin && Array.isArray(value) && value.every(isJsonObject) ? value : undefined;
    const key = items ? mergeKeyFor(field, items[0]) : undefined;
    if (items && key && items.length > 0) {
      for (const item of items) {
        const itemPath = [...path, `k:${JSON.stringify({ [key]: item[key] })}`];
        for (const [k, v] of Object.entries(item)) walk(v, [...itemPath, `f:${k}`], k);
      }
      return;
    }
    out.push(path);
  };
  for (const [k, v] of Object.entries(isJsonObject(obj) ? obj : {})) {
    if (SKIP_TOP.has(k)) continue;
    if (k === 'metadata') {
      for (const [mk, mv] of Object.entries(isJsonObject(v) ? v : {})) if (!SKIP_META.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], mk);
    } else walk(v, [`f:${k}`], k);
  }
  return out;
}

// The value at a field path, or undefined.
export function valueAt(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const seg of path) {
    if (cur === undefined || cur === null) return undefined;
    if (seg.startsWith('f:')) cur = isJsonObject(cur) ? cur[seg.slice(2)] : undefined;
    else if (seg.startsWith('k:')) {
      const key: Record<string, unknown> = JSON.parse(seg.slice(2));
      cur = Array.isArray(cur) ? cur.find((item) => isJsonObject(item) && Object.entries(key).every(([k, v]) => item[k] === v)) : undefined;
    } else return undefined;
  }
  return cur;
}

// Removes the value at a field path (a keyed list item or a map field).
export function removeAt(obj: unknown, path: Path): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last.startsWith('f:') && isJsonObject(parent)) delete parent[last.slice(2)];
  if (last.startsWith('k:') && Array.isArray(parent)) {
    const item = valueAt(obj, path);
    const i = parent.indexOf(item);
    if (i >= 0) parent.splice(i, 1);
  }
}

// `.spec.template.spec.containers[name="x"].image`, the path format of conflict messages.
export function printPath(path: Path): string {
  return path.map((seg) => {
    if (seg.startsWith('f:')) return `.${seg.slice(2)}`;
    const key: Record<string, unknown> = JSON.parse(seg.slice(2));
    return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
  }).join('');
}

// Same JSON value, ignoring map key order.
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function treeToPaths(tree: FieldsV1 | undefined, prefix: Path, out: Map<string, Path>): void {
  const children = Object.keys(tree ?? {}).filter((k) => k !== '.');
  if (children.length === 0) { if (prefix.length) out.set(pathKey(prefix), prefix); return; }
  for (const k of children) treeToPaths(tree?.[k], [...prefix, k], out);
}

// Reads metadata.managedFields into entries (status-subresource entries included, for round-tripping).
export function readManagedFields(obj: KubeObject): ManagerEntry[] {
  return (obj.metadata?.managedFields ?? []).map((e) => {
    const fields = new Map<string, Path>();
    treeToPaths(e.fieldsV1, [], fields);
    return { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, subresource: e.subresource, fields };
  });
}

function pathsToTree(paths: Iterable<Path>): FieldsV1 {
  const root: FieldsV1 = {};
  for (const path of paths) {
    let node = root;
    path.forEach((seg, i) => {
      node[seg] ??= {};
      node = node[seg];
      const isLeaf = i === path.length - 1;
      if (!isLeaf && (seg.startsWith('k:') || !NO_DOT.has(seg)) && !(i === 0)) node['.'] = {};
      if (!isLeaf && seg.startsWith('k:')) node['.'] = {};
    });
  }
  return sortTree(root);
}

function sortTree(node: FieldsV1): FieldsV1 {
  return Object.fromEntries(Object.keys(node).sort().map((k) => [k, sortTree(node[k])]));
}

// Writes entries back as metadata.managedFields (empty entries dropped).
export function writeManagedFields(obj: KubeObject, entries: ManagerEntry[]): void {
  const list = entries.filter((e) => e.fields.size > 0).map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: 'FieldsV1', fieldsV1: pathsToTree(e.fields.values()) };
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
  obj.metadata.managedFields = list;
  if (list.length === 0) delete obj.metadata.managedFields;
}

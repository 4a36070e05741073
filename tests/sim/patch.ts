// Patch formats the API server accepts: JSON merge (RFC 7386), JSON patch (RFC 6902) and strategic merge.
import { isJsonObject } from './kube.ts';
import { clone } from './store.ts';

type JsonMap = Record<string, unknown>;
// A JSON pointer's parent: a map or a list.
type JsonParent = JsonMap | unknown[];
// One RFC 6902 operation as sent.
type JsonPatchOperation = { op: string; path: string; from: string; value?: unknown };

// RFC 7386: maps merge recursively, null deletes, everything else replaces.
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return clone(patch);
  const result: JsonMap = isJsonObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = jsonMergePatch(result[k], v);
  }
  return result;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function walk(doc: unknown, path: string): { parent: JsonParent; key: string } {
  if (!path.startsWith('/')) throw new Error(`invalid JSON pointer: "${path}"`);
  const tokens = path.slice(1).split('/').map(unescapePointer);
  let parent = doc;
  for (const token of tokens.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(token)] : isJsonObject(parent) ? parent[token] : undefined;
    if (typeof parent !== 'object' || parent === null) throw new Error(`doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(parent) && !isJsonObject(parent)) throw new Error(`doc is missing path: "${path}": missing value`);
  return { parent, key: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, path: string): unknown {
  if (path === '') return doc;
  const { parent, key } = walk(doc, path);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw new Error(`doc is missing path: "${path}": missing value`);
  return value;
}

function removeAt(doc: unknown, path: string): unknown {
  const { parent, key } = walk(doc, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length)) throw new Error(`remove operation does not apply: doc is missing path: "${path}": missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!(key in parent)) throw new Error(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, path: string, value: unknown): void {
  const { parent, key } = walk(doc, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw new Error(`add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, clone(value));
  } else parent[key] = clone(value);
}

// RFC 6902 with add/remove/replace/move/copy/test; throws with evanphx/json-patch style messages.
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const op of ops as JsonPatchOperation[]) {
    switch (op.op) {
      case 'add': if (op.path === '') doc = clone(op.value); else addAt(doc, op.path, op.value); break;
      case 'remove': removeAt(doc, op.path); break;
      case 'replace':
        if (op.path === '') { doc = clone(op.value); break; }
        getAt(doc, op.path);
        { const { parent, key } = walk(doc, op.path); if (Array.isArray(parent)) parent[Number(key)] = clone(op.value); else parent[key] = clone(op.value); }
        break;
      case 'move': { const v = removeAt(doc, op.from); addAt(doc, op.path, v); break; }
      case 'copy': addAt(doc, op.path, getAt(doc, op.from)); break;
      case 'test':
        if (JSON.stringify(canonical(getAt(doc, op.path))) !== JSON.stringify(canonical(op.value))) throw new Error(`testing value ${op.path} failed: test failed`);
        break;
      default: throw new Error(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

// JSON value with map keys sorted, for order-insensitive comparison.
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isJsonObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

// Merge keys of the built-in list fields that use patchStrategy=merge (by field name; ports depend on the element).
const MERGE_KEYS: Record<string, string | ((item: unknown) => string)> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name', volumes: 'name',
  volumeMounts: 'mountPath', volumeDevices: 'devicePath', imagePullSecrets: 'name', conditions: 'type',
  ownerReferences: 'uid', hostAliases: 'ip', topologySpreadConstraints: 'topologyKey', resourceClaims: 'name',
  ports: (item) => (isJsonObject(item) && 'containerPort' in item ? 'containerPort' : 'port'),
};
const PRIMITIVE_MERGE_LISTS = new Set(['finalizers']);

// The merge key for a list field, or undefined when the list is atomic (replaced as a whole).
export function mergeKeyFor(field: string, sample: unknown): string | undefined {
  const key = MERGE_KEYS[field];
  return typeof key === 'function' ? key(sample) : key;
}

// Strategic merge patch for built-in kinds: keyed lists merge, `$patch`, `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`.
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) throw new Error('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergeMap(isJsonObject(target) ? target : {}, patch);
}

// The merged map, or undefined when the patch says `$patch: delete`.
function mergeMap(target: JsonMap, patch: JsonMap): JsonMap | undefined {
  if (patch.$patch === 'replace') { const { $patch: _, ...rest } = patch; return stripDirectives(rest) as JsonMap; }
  if (patch.$patch === 'delete') return undefined;
  const result = clone(target);
  const orders: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) { orders[k.slice(17)] = v as unknown[]; continue; }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice(25);
      const list = result[field];
      if (Array.isArray(list)) result[field] = list.filter((x) => !(v as unknown[]).includes(x));
      continue;
    }
    if (v === null) { delete result[k]; continue; }
    if (isJsonObject(v)) {
      const current = result[k];
      const merged = mergeMap(isJsonObject(current) ? current : {}, v);
      if (merged === undefined) delete result[k]; else result[k] = merged;
    } else if (Array.isArray(v)) {
      const current = result[k];
      result[k] = mergeList(k, Array.isArray(current) ? current : [], v);
    }
    else result[k] = v;
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = result[field];
    if (Array.isArray(list)) result[field] = reorder(field, list, order);
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  return result;
}

function mergeList(field: string, target: unknown[], patch: unknown[]): unknown[] {
  if (patch.some((p) => isJsonObject(p) && p.$patch === 'replace')) return patch.filter((p) => !(isJsonObject(p) && p.$patch === 'replace')).map(stripDirectives);
  if (PRIMITIVE_MERGE_LISTS.has(field)) return [...target, ...patch.filter((p) => !target.includes(p))];
  const key = mergeKeyFor(field, patch[0] ?? target[0]);
  if (!key || !patch.every(isJsonObject)) return patch.map(stripDirectives);
  const result = clone(target);
  for (const item of patch) {
    const i = result.findIndex((t) => isJsonObject(t) && t[key] === item[key]);
    if (item.$patch === 'delete') { if (i >= 0) result.splice(i, 1); continue; }
    // NOTE: findIndex matched a map, so result[i] is one.
    if (i >= 0) result[i] = mergeMap(result[i] as JsonMap, item);
    else result.push(stripDirectives(item));
  }
  return result;
}

function reorder(field: string, list: unknown[], order: unknown[]): unknown[] {
  const key = mergeKeyFor(field, list[0]);
  const id = (x: unknown) => (key && isJsonObject(x) ? x[key] : x);
  const pos = (x: unknown) => { const i = order.findIndex((o) => id(o) === id(x)); return i < 0 ? order.length : i; };
  return [...list].sort((a, b) => pos(a) - pos(b));
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isJsonObject(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = stripDirectives(x);
  return out;
}

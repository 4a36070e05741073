// Patch formats the API server accepts: JSON merge (RFC 7386), JSON patch (RFC 6902) and strategic merge.
import { clone } from './store.ts';

const isMap = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

// RFC 7386: maps merge recursively, null deletes, everything else replaces.
export function jsonMergePatch(target: any, patch: any): any {
  if (!isMap(patch)) return clone(patch);
  const result: Record<string, any> = isMap(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = jsonMergePatch(result[k], v);
  }
  return result;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function walk(doc: any, path: string): { parent: any; key: string } {
  if (!path.startsWith('/')) throw new Error(`invalid JSON pointer: "${path}"`);
  const tokens = path.slice(1).split('/').map(unescapePointer);
  let parent = doc;
  for (const token of tokens.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(token)] : parent?.[token];
    if (typeof parent !== 'object' || parent === null) throw new Error(`doc is missing path: "${path}": missing value`);
  }
  return { parent, key: tokens[tokens.length - 1] };
}

function getAt(doc: any, path: string): any {
  if (path === '') return doc;
  const { parent, key } = walk(doc, path);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw new Error(`doc is missing path: "${path}": missing value`);
  return value;
}

function removeAt(doc: any, path: string): any {
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

function addAt(doc: any, path: string, value: any): void {
  const { parent, key } = walk(doc, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw new Error(`add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, clone(value));
  } else parent[key] = clone(value);
}

// RFC 6902 with add/remove/replace/move/copy/test; throws with evanphx/json-patch style messages.
export function jsonPatch(target: any, ops: any): any {
  if (!Array.isArray(ops)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const op of ops) {
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
export function canonical(v: any): any {
  if (Array.isArray(v)) return v.map(canonical);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

// Merge keys of the built-in list fields that use patchStrategy=merge (by field name; ports depend on the element).
const MERGE_KEYS: Record<string, string | ((item: any) => string)> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name', volumes: 'name',
  volumeMounts: 'mountPath', volumeDevices: 'devicePath', imagePullSecrets: 'name', conditions: 'type',
  ownerReferences: 'uid', hostAliases: 'ip', topologySpreadConstraints: 'topologyKey', resourceClaims: 'name',
  ports: (item) => (isMap(item) && 'containerPort' in item ? 'containerPort' : 'port'),
};
const PRIMITIVE_MERGE_LISTS = new Set(['finalizers']);

// The merge key for a list field, or undefined when the list is atomic (replaced as a whole).
export function mergeKeyFor(field: string, sample: any): string | undefined {
  const key = MERGE_KEYS[field];
  return typeof key === 'function' ? key(sample) : key;
}

// Strategic merge patch for built-in kinds: keyed lists merge, `$patch`, `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`.
export function strategicMergePatch(target: any, patch: any): any {
  return mergeMap(isMap(target) ? target : {}, patch);
}

function mergeMap(target: Record<string, any>, patch: Record<string, any>): any {
  if (patch.$patch === 'replace') { const { $patch: _, ...rest } = patch; return stripDirectives(rest); }
  if (patch.$patch === 'delete') return undefined;
  const result = clone(target);
  const orders: Record<string, any[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) { orders[k.slice(17)] = v; continue; }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice(25);
      if (Array.isArray(result[field])) result[field] = result[field].filter((x: any) => !v.includes(x));
      continue;
    }
    if (v === null) { delete result[k]; continue; }
    if (isMap(v)) {
      const merged = mergeMap(isMap(result[k]) ? result[k] : {}, v);
      if (merged === undefined) delete result[k]; else result[k] = merged;
    } else if (Array.isArray(v)) result[k] = mergeList(k, Array.isArray(result[k]) ? result[k] : [], v);
    else result[k] = v;
  }
  for (const [field, order] of Object.entries(orders)) if (Array.isArray(result[field])) result[field] = reorder(field, result[field], order);
  if (Array.isArray(patch.$retainKeys)) for (const k of Object.keys(result)) if (!patch.$retainKeys.includes(k)) delete result[k];
  return result;
}

function mergeList(field: string, target: any[], patch: any[]): any[] {
  if (patch.some((p) => isMap(p) && p.$patch === 'replace')) return stripDirectives(patch.filter((p) => !(isMap(p) && p.$patch === 'replace')));
  if (PRIMITIVE_MERGE_LISTS.has(field)) return [...target, ...patch.filter((p) => !target.includes(p))];
  const key = mergeKeyFor(field, patch[0] ?? target[0]);
  if (!key || !patch.every(isMap)) return stripDirectives(patch);
  const result = clone(target);
  for (const item of patch) {
    const i = result.findIndex((t) => isMap(t) && t[key] === item[key]);
    if (item.$patch === 'delete') { if (i >= 0) result.splice(i, 1); continue; }
    if (i >= 0) result[i] = mergeMap(result[i], item);
    else result.push(stripDirectives(item));
  }
  return result;
}

function reorder(field: string, list: any[], order: any[]): any[] {
  const key = mergeKeyFor(field, list[0]);
  const id = (x: any) => (key && isMap(x) ? x[key] : x);
  const pos = (x: any) => { const i = order.findIndex((o) => id(o) === id(x)); return i < 0 ? order.length : i; };
  return [...list].sort((a, b) => pos(a) - pos(b));
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isMap(v)) return v;
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = stripDirectives(x);
  return out;
}

// Server-side apply and field ownership: conflicts worded like structured-merge-diff, Update ownership tracking.
import { SimError, status, type StatusCause } from './errors.ts';
import { mergeKeyFor } from './patch.ts';
import { leafPaths, pathKey, printPath, readManagedFields, removeAt, sameValue, valueAt, writeManagedFields, type ManagerEntry, type Path } from './managed-fields.ts';
import { clone, nowTime } from './store.ts';
import { isJsonObject, type KubeObject } from './kube.ts';

function entryFor(entries: ManagerEntry[], manager: string, operation: 'Apply' | 'Update', apiVersion: string): ManagerEntry {
  let entry = entries.find((e) => e.manager === manager && e.operation === operation && !e.subresource);
  if (!entry) {
    entry = { manager, operation, apiVersion, fields: new Map() };
    entries.push(entry);
  }
  entry.apiVersion = apiVersion;
  return entry;
}

// Records a non-apply write (create/update/patch) by `manager`: it owns every field it changed; fields gone from the object are dropped.
export function recordUpdate(oldObj: KubeObject | undefined, newObj: KubeObject, manager: string, builtin: boolean): void {
  const entries = readManagedFields(oldObj ?? newObj);
  if (!oldObj) entries.length = 0;
  const present = new Map(leafPaths(newObj, builtin).map((p) => [pathKey(p), p]));
  const changed: Path[] = [];
  for (const [key, path] of present) if (!oldObj || !sameValue(valueAt(oldObj, path), valueAt(newObj, path))) changed.push(path);
  for (const e of entries) {
    for (const key of [...e.fields.keys()]) if (!present.has(key)) e.fields.delete(key);
    for (const p of changed) e.fields.delete(pathKey(p));
  }
  if (changed.length > 0) {
    const entry = entryFor(entries, manager, 'Update', newObj.apiVersion);
    for (const p of changed) entry.fields.set(pathKey(p), p);
    entry.time = nowTime();
  }
  writeManagedFields(newObj, entries);
}

// Merges an applied configuration onto the live object (maps merge, keyed lists merge by key, other lists replace).
export function mergeApplied(live: unknown, config: unknown, builtin: boolean, field = ''): unknown {
  if (isJsonObject(config)) {
    const out: Record<string, unknown> = isJsonObject(live) ? clone(live) : {};
    for (const [k, v] of Object.entries(config)) out[k] = mergeApplied(out[k], v, builtin, k);
    return out;
  }
  if (Array.isArray(config) && builtin && config.every(isJsonObject)) {
    const key = mergeKeyFor(field, config[0]);
    if (key && Array.isArray(live)) {
      const out = clone(live);
      for (const item of config) {
        const i = out.findIndex((x) => isJsonObject(x) && x[key] === item[key]);
        if (i >= 0) out[i] = mergeApplied(out[i], item, builtin); else out.push(clone(item));
      }
      return out;
    }
  }
  return clone(config);
}

function conflictError(conflicts: { manager: ManagerEntry; path: Path }[]): SimError {
  const label = (e: ManagerEntry) => (e.operation === 'Apply' ? `"${e.manager}"` : `"${e.manager}" using ${e.apiVersion}`);
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${label(c.manager)}`, field: printPath(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${label(conflicts[0].manager)}: ${printPath(conflicts[0].path)}`;
  else {
    const groups = new Map<ManagerEntry, Path[]>();
    for (const c of conflicts) groups.set(c.manager, [...(groups.get(c.manager) ?? []), c.path]);
    const parts = [...groups].map(([m, paths]) => paths.length === 1
      ? `conflict with ${label(m)}: ${printPath(paths[0])}`
      : `conflicts with ${label(m)}:\n${paths.map((p) => `- ${printPath(p)}`).join('\n')}`);
    message = `Apply failed with ${conflicts.length} conflicts: ${parts.join('\n')}`;
  }
  return new SimError(status(409, message, 'Conflict', { causes }));
}

// Server-side apply of `config` by `manager` onto `live` (undefined when creating); throws 409 on conflicts unless forced.
export function serverSideApply(live: KubeObject | undefined, config: KubeObject, manager: string, force: boolean, builtin: boolean): KubeObject {
  const entries = live ? readManagedFields(live) : [];
  const applied = leafPaths(config, builtin);
  const appliedKeys = new Set(applied.map(pathKey));
  const conflicts: { manager: ManagerEntry; path: Path }[] = [];
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Apply') continue;
    if (e.subresource) continue;
    for (const p of applied) if (e.fields.has(pathKey(p)) && !sameValue(valueAt(live, p), valueAt(config, p))) conflicts.push({ manager: e, path: p });
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  const mine = entryFor(entries, manager, 'Apply', config.apiVersion);
  const previously = [...mine.fields.values()];
  // NOTE: an object merged onto an object is an object.
  let result = (live ? mergeApplied(live, config, builtin) : clone(config)) as KubeObject;
  for (const p of previously) {
    const key = pathKey(p);
    if (appliedKeys.has(key)) continue;
    const sharedWithOthers = entries.some((e) => e !== mine && e.fields.has(key));
    if (!sharedWithOthers) removeAt(result, p);
  }
  for (const c of conflicts) c.manager.fields.delete(pathKey(c.path));
  mine.fields = new Map(applied.map((p) => [pathKey(p), p]));
  mine.time = nowTime();
  result = clone(result);
  writeManagedFields(result, entries);
  return result;
}

// Legacy discovery documents (/api, /apis, resource lists) and /version.
import { createHash } from 'node:crypto';
import type { Registry, ResourceType } from './resources.ts';
import { verbsOf } from './resources.ts';

// The /version document of a v1.32.4 server.
export function versionInfo() {
  return {
    major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335', gitTreeState: 'clean',
    buildDate: '2025-04-22T16:00:00Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64',
  };
}

// APIVersions for /api.
export function apiVersions(hostPort: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }] };
}

// APIGroupList for /apis (the core group is not listed).
export function apiGroupList(registry: Registry) {
  const groups = new Map<string, string[]>();
  for (const gv of registry.groupVersions()) if (gv.group) groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv.version]);
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

// APIGroup for /apis/<group>, or undefined when the group is not served.
export function apiGroup(registry: Registry, group: string) {
  const list = apiGroupList(registry).groups.find((g) => g.name === group);
  return list ? { kind: 'APIGroup', apiVersion: 'v1', ...list } : undefined;
}

// One entry of an APIResourceList.
type ApiResource = {
  name: string; singularName: string; namespaced: boolean; group?: string; version?: string; kind: string; verbs: string[];
  shortNames?: string[]; categories?: string[]; storageVersionHash?: string;
};

function resourceEntry(t: ResourceType): ApiResource {
  const entry: ApiResource = {
    name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsOf(t),
    storageVersionHash: createHash('sha256').update(`${t.group}/${t.version}/${t.kind}`).digest('base64').slice(0, 11),
  };
  if (t.shortNames.length) entry.shortNames = t.shortNames;
  if (t.categories.length) entry.categories = t.categories;
  return entry;
}

const SUBRESOURCES: Record<string, { name: string; kind: string; verbs: string[]; group?: string; version?: string }[]> = {
  Pod: [{ name: 'log', kind: 'Pod', verbs: ['get'] }],
  Deployment: [{ name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }],
};

// APIResourceList for /api/v1 or /apis/<group>/<version>, or undefined when not served.
export function apiResourceList(registry: Registry, group: string, version: string) {
  const types = registry.types.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources: ApiResource[] = [];
  for (const t of types) {
    resources.push(resourceEntry(t));
    if (t.hasStatus) resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
    for (const s of SUBRESOURCES[t.kind] ?? []) {
      resources.push({ name: `${t.plural}/${s.name}`, singularName: '', namespaced: t.namespaced, group: s.group, version: s.version, kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

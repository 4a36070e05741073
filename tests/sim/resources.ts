// The resource types the simulated server knows, as discovery and the REST handlers see them.
import { APPS_GROUP, HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP, type KubeObject } from './kube.ts';

export type ResourceType = {
  group: string; // '' for the core group
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  builtin: boolean; // compiled into kubectl: strategic merge patch and typed strict decoding
  hasStatus: boolean; // status is a subresource: writes to the main resource keep the stored status
  hasGeneration: boolean; // metadata.generation tracks changes outside metadata/status
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(group: string, version: string, kind: string, plural: string, namespaced: boolean, shortNames: string[], extra: Partial<ResourceType> = {}): ResourceType {
  return {
    group, version, kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced, shortNames,
    categories: [], builtin: true, hasStatus: false, hasGeneration: false, ...extra,
  };
}

const FLUX = { builtin: false, hasStatus: true, hasGeneration: true };

// Every type served at start; CRDs created at runtime add more through `registerCrd`.
export function defaultResourceTypes(): ResourceType[] {
  return [
    rt('', 'v1', 'Namespace', 'namespaces', false, ['ns'], { hasStatus: true }),
    rt('', 'v1', 'ConfigMap', 'configmaps', true, ['cm']),
    rt('', 'v1', 'Secret', 'secrets', true, []),
    rt('', 'v1', 'Service', 'services', true, ['svc'], { hasStatus: true, categories: ['all'] }),
    rt('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['sa']),
    rt('', 'v1', 'Pod', 'pods', true, ['po'], { hasStatus: true, categories: ['all'] }),
    rt('', 'v1', 'Event', 'events', true, ['ev']),
    rt(APPS_GROUP, 'v1', 'Deployment', 'deployments', true, ['deploy'], { hasStatus: true, hasGeneration: true, categories: ['all'] }),
    rt('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['crd', 'crds'], { hasStatus: true, hasGeneration: true, categories: ['api-extensions'] }),
    rt(SOURCE_GROUP, 'v1', 'GitRepository', 'gitrepositories', true, ['gitrepo'], { ...FLUX, categories: ['all'] }),
    rt(SOURCE_GROUP, 'v1', 'HelmRepository', 'helmrepositories', true, ['helmrepo'], { ...FLUX, categories: ['all'] }),
    rt(SOURCE_GROUP, 'v1', 'OCIRepository', 'ocirepositories', true, ['ocirepo'], { ...FLUX, categories: ['all'] }),
    rt(KUSTOMIZE_GROUP, 'v1', 'Kustomization', 'kustomizations', true, ['ks'], { ...FLUX, categories: ['all'] }),
    rt(HELM_GROUP, 'v2', 'HelmRelease', 'helmreleases', true, ['hr'], { ...FLUX, categories: ['all'] }),
  ];
}

// `group/version`, or just `version` for the core group.
export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

// Splits an apiVersion into group and version.
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class Registry {
  types: ResourceType[] = defaultResourceTypes();

  // The type served at group/version/plural, if any.
  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  // The type for an apiVersion + kind, if any.
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  // Group versions in discovery order (core first, then groups by first appearance).
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const t of this.types) seen.set(apiVersionOf(t), { group: t.group, version: t.version });
    return [...seen.values()];
  }

  // Adds (or replaces) the served versions of a CustomResourceDefinition; returns true when something changed.
  registerCrd(crd: KubeObject): boolean {
    const spec = crd?.spec;
    if (!spec?.group || !spec?.names?.plural || !Array.isArray(spec.versions)) return false;
    this.unregisterCrd(crd);
    for (const v of spec.versions) {
      if (v.served === false || this.byPlural(spec.group, v.name, spec.names.plural)) continue;
      this.types.push({
        group: spec.group, version: v.name, kind: spec.names.kind, listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        plural: spec.names.plural, singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster', shortNames: spec.names.shortNames ?? [], categories: spec.names.categories ?? [],
        builtin: false, hasStatus: Boolean(v.subresources?.status), hasGeneration: true,
      });
    }
    return true;
  }

  // Removes the types a CRD served (built-in and default Flux types are kept).
  unregisterCrd(crd: KubeObject): void {
    const spec = crd?.spec;
    const defaults = defaultResourceTypes();
    this.types = this.types.filter((t) => !(t.group === spec?.group && t.plural === spec?.names?.plural) ||
      defaults.some((d) => d.group === t.group && d.plural === t.plural));
  }
}

// The verbs advertised in discovery.
export function verbsOf(_t: ResourceType): string[] {
  return VERBS;
}

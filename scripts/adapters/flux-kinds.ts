// The Flux kinds the tasks act on: how kubectl names them and how the flux CLI names them.

export type FluxKind = 'kustomization' | 'helmrelease' | 'gitrepository' | 'helmrepository' | 'ocirepository';

type KindInfo = { resource: string; kind: string; cli: string };

const KINDS: Record<FluxKind, KindInfo> = {
  kustomization: { resource: 'kustomizations.kustomize.toolkit.fluxcd.io', kind: 'Kustomization', cli: 'kustomization' },
  helmrelease: { resource: 'helmreleases.helm.toolkit.fluxcd.io', kind: 'HelmRelease', cli: 'helmrelease' },
  gitrepository: { resource: 'gitrepositories.source.toolkit.fluxcd.io', kind: 'GitRepository', cli: 'source git' },
  helmrepository: { resource: 'helmrepositories.source.toolkit.fluxcd.io', kind: 'HelmRepository', cli: 'source helm' },
  ocirepository: { resource: 'ocirepositories.source.toolkit.fluxcd.io', kind: 'OCIRepository', cli: 'source oci' },
};

// kubectl's fully qualified resource name for a Flux kind.
export function fluxResource(kind: FluxKind): string {
  return KINDS[kind].resource;
}

// The Kind as it appears in objects and flux CLI messages.
export function fluxKindName(kind: FluxKind): string {
  return KINDS[kind].kind;
}

// The flux CLI command an action on an object stands for: `flux suspend kustomization apps -n flux-system`.
export function fluxEquivalent(action: string, kind: FluxKind, name: string, namespace: string): string {
  return `flux ${action} ${KINDS[kind].cli} ${name} -n ${namespace}`;
}

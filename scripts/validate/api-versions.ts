// API versions that are removed from Kubernetes or deprecated by Flux, with their replacement
// (the Kubernetes deprecated-API migration guide; for Flux, what `flux migrate` rewrites).
// Keyed by `apiVersion` or `apiVersion Kind` (the more specific wins).

export type ApiVersionNote = { replacement: string; severity: 'error' | 'warning'; note: string };

const REMOVED = 'removed from Kubernetes';
const FLUX = 'deprecated by Flux; `flux migrate` rewrites it';

const NOTES: Record<string, ApiVersionNote> = {
  'extensions/v1beta1 Ingress': { replacement: 'networking.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'extensions/v1beta1 NetworkPolicy': { replacement: 'networking.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.16` },
  'extensions/v1beta1 PodSecurityPolicy': { replacement: 'Pod Security admission (namespace labels)', severity: 'error', note: `${REMOVED} in 1.25` },
  'extensions/v1beta1': { replacement: 'apps/v1', severity: 'error', note: `${REMOVED} in 1.16` },
  'apps/v1beta1': { replacement: 'apps/v1', severity: 'error', note: `${REMOVED} in 1.16` },
  'apps/v1beta2': { replacement: 'apps/v1', severity: 'error', note: `${REMOVED} in 1.16` },
  'networking.k8s.io/v1beta1': { replacement: 'networking.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'policy/v1beta1 PodSecurityPolicy': { replacement: 'Pod Security admission (namespace labels)', severity: 'error', note: `${REMOVED} in 1.25` },
  'policy/v1beta1': { replacement: 'policy/v1', severity: 'error', note: `${REMOVED} in 1.25` },
  'batch/v1beta1': { replacement: 'batch/v1', severity: 'error', note: `${REMOVED} in 1.25` },
  'autoscaling/v2beta1': { replacement: 'autoscaling/v2', severity: 'error', note: `${REMOVED} in 1.25` },
  'autoscaling/v2beta2': { replacement: 'autoscaling/v2', severity: 'error', note: `${REMOVED} in 1.26` },
  'rbac.authorization.k8s.io/v1beta1': { replacement: 'rbac.authorization.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'apiextensions.k8s.io/v1beta1': { replacement: 'apiextensions.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'admissionregistration.k8s.io/v1beta1': { replacement: 'admissionregistration.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'storage.k8s.io/v1beta1 CSIStorageCapacity': { replacement: 'storage.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.27` },
  'storage.k8s.io/v1beta1': { replacement: 'storage.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'scheduling.k8s.io/v1beta1': { replacement: 'scheduling.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'certificates.k8s.io/v1beta1': { replacement: 'certificates.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'coordination.k8s.io/v1beta1': { replacement: 'coordination.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.22` },
  'discovery.k8s.io/v1beta1': { replacement: 'discovery.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.25` },
  'events.k8s.io/v1beta1': { replacement: 'events.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.25` },
  'node.k8s.io/v1beta1': { replacement: 'node.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.25` },
  'flowcontrol.apiserver.k8s.io/v1beta1': { replacement: 'flowcontrol.apiserver.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.26` },
  'flowcontrol.apiserver.k8s.io/v1beta2': { replacement: 'flowcontrol.apiserver.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.29` },
  'flowcontrol.apiserver.k8s.io/v1beta3': { replacement: 'flowcontrol.apiserver.k8s.io/v1', severity: 'error', note: `${REMOVED} in 1.32` },
  'kustomize.toolkit.fluxcd.io/v1beta1': { replacement: 'kustomize.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'kustomize.toolkit.fluxcd.io/v1beta2': { replacement: 'kustomize.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'source.toolkit.fluxcd.io/v1beta1': { replacement: 'source.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'source.toolkit.fluxcd.io/v1beta2': { replacement: 'source.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'helm.toolkit.fluxcd.io/v2beta1': { replacement: 'helm.toolkit.fluxcd.io/v2', severity: 'warning', note: FLUX },
  'helm.toolkit.fluxcd.io/v2beta2': { replacement: 'helm.toolkit.fluxcd.io/v2', severity: 'warning', note: FLUX },
  'notification.toolkit.fluxcd.io/v1beta1 Receiver': { replacement: 'notification.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'notification.toolkit.fluxcd.io/v1beta2 Receiver': { replacement: 'notification.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'notification.toolkit.fluxcd.io/v1beta3 Receiver': { replacement: 'notification.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'notification.toolkit.fluxcd.io/v1beta1': { replacement: 'notification.toolkit.fluxcd.io/v1beta3', severity: 'warning', note: FLUX },
  'notification.toolkit.fluxcd.io/v1beta2': { replacement: 'notification.toolkit.fluxcd.io/v1beta3', severity: 'warning', note: FLUX },
  'image.toolkit.fluxcd.io/v1beta1': { replacement: 'image.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
  'image.toolkit.fluxcd.io/v1beta2': { replacement: 'image.toolkit.fluxcd.io/v1', severity: 'warning', note: FLUX },
};

// What is known about apiVersion (for kind), or undefined when it is current.
export function apiVersionNote(apiVersion: string, kind: string): ApiVersionNote | undefined {
  return NOTES[`${apiVersion} ${kind}`] ?? NOTES[apiVersion];
}

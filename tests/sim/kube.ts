// What the simulator stores and serves: Kubernetes objects, their metadata and managed fields,
// and the names (API groups, namespaces, labels) more than one file uses.

// The fields a kind adds next to apiVersion/kind/metadata (spec, status, data, …): decoded JSON
// whose shape only that kind's handler knows.
// NOTE: the one `any` of the simulator's objects, so handlers can read a kind's fields as it defines them.
export type KindFields = { [field: string]: any };

export type FieldsV1 = { [segment: string]: FieldsV1 };

export type ManagedFieldsEntry = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
};

export type ObjectMeta = {
  name: string;
  namespace?: string;
  generateName?: string;
  selfLink?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
};

export type KubeObject = KindFields & { apiVersion: string; kind: string; metadata: ObjectMeta };

// A JSON object (decoded JSON that is neither an array nor null).
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const APPS_GROUP = 'apps';
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const HELM_GROUP = 'helm.toolkit.fluxcd.io';
export const FLUX_GROUPS = [SOURCE_GROUP, KUSTOMIZE_GROUP, HELM_GROUP];

export const FLUX_NAMESPACE = 'flux-system';
// The field manager kustomize-controller applies with.
export const KUSTOMIZE_CONTROLLER = 'kustomize-controller';
export const GRAFANA_NAMESPACE = 'logging';
export const GRAFANA = 'grafana';

// The label a Deployment's pods carry to tell their ReplicaSet generation apart.
export const POD_TEMPLATE_HASH = 'pod-template-hash';

// The parts of a pod's containers and their statuses the simulator reads.
export type Container = KindFields & { name: string; image?: string };
export type ContainerStatus = KindFields & { name: string; ready: boolean; restartCount?: number };
// A Deployment condition (Flux conditions are in flux-status.ts).
export type DeploymentCondition = { type: string; status: string; lastUpdateTime: string; lastTransitionTime: string; reason: string; message: string };
// A `matchLabels`/`matchExpressions` label selector.
export type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

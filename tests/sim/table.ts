// meta.k8s.io/v1 Table responses with the columns a real server prints for each kind.
import type { ResourceType } from './resources.ts';
import type { Container, ContainerStatus, KubeObject } from './kube.ts';
import { getCondition } from './flux-status.ts';

type Column = { name: string; type?: string; format?: string; priority?: number; cell: (o: KubeObject) => string | number };

// Age like apimachinery duration.HumanDuration.
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  return `${Math.floor(h / 24)}d`;
}

const age = (t: string | undefined) => (t ? humanDuration(Date.now() - Date.parse(t)) : '<unknown>');
const NAME: Column = { name: 'Name', format: 'name', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', cell: (o) => age(o.metadata.creationTimestamp) };
const ready = (o: KubeObject) => getCondition(o, 'Ready');
const READY: Column = { name: 'Ready', cell: (o) => ready(o)?.status ?? '' };
const STATUS: Column = { name: 'Status', cell: (o) => ready(o)?.message ?? '' };
const URL: Column = { name: 'URL', cell: (o) => o.spec?.url ?? '' };
const count = (m: Record<string, unknown> | undefined) => Object.keys(m ?? {}).length;

function podStatus(o: KubeObject): string {
  const waiting = (o.status?.containerStatuses ?? []).find((c: ContainerStatus) => c.state?.waiting?.reason);
  return waiting?.state.waiting.reason ?? o.status?.phase ?? 'Pending';
}

function podRestarts(o: KubeObject): string {
  const statuses = o.status?.containerStatuses ?? [];
  const n = statuses.reduce((sum: number, c: ContainerStatus) => sum + (c.restartCount ?? 0), 0);
  const last = statuses.map((c: ContainerStatus) => c.lastState?.terminated?.finishedAt).filter(Boolean).sort().pop();
  return n > 0 && last ? `${n} (${age(last)} ago)` : String(n);
}

const COLUMNS: Record<string, Column[]> = {
  Namespace: [NAME, { name: 'Status', cell: (o) => o.status?.phase ?? '' }, AGE],
  ConfigMap: [NAME, { name: 'Data', type: 'integer', cell: (o) => count(o.data) + count(o.binaryData) }, AGE],
  Secret: [NAME, { name: 'Type', cell: (o) => o.type ?? '' }, { name: 'Data', type: 'integer', cell: (o) => count(o.data) }, AGE],
  ServiceAccount: [NAME, { name: 'Secrets', type: 'integer', cell: (o) => (o.secrets ?? []).length }, AGE],
  Service: [NAME, { name: 'Type', cell: (o) => o.spec?.type ?? '' }, { name: 'Cluster-IP', cell: (o) => o.spec?.clusterIP ?? '' },
    { name: 'External-IP', cell: () => '<none>' },
    { name: 'Port(s)', cell: (o) => (o.spec?.ports ?? []).map((p: { port: number; protocol?: string }) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>' }, AGE,
    { name: 'Selector', priority: 1, cell: (o) => Object.entries(o.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>' }],
  Pod: [NAME,
    { name: 'Ready', cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: ContainerStatus) => c.ready).length}/${(o.spec?.containers ?? []).length}` },
    { name: 'Status', cell: podStatus }, { name: 'Restarts', cell: podRestarts }, AGE,
    { name: 'IP', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' }, { name: 'Node', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' }],
  Deployment: [NAME, { name: 'Ready', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 }, AGE,
    { name: 'Containers', priority: 1, cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: Container) => c.name).join(',') },
    { name: 'Images', priority: 1, cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: Container) => c.image).join(',') }],
  Event: [{ name: 'Last Seen', cell: (o) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp) },
    { name: 'Type', cell: (o) => o.type ?? '' }, { name: 'Reason', cell: (o) => o.reason ?? '' },
    { name: 'Object', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
    { name: 'Message', cell: (o) => o.message ?? '' }],
  CustomResourceDefinition: [NAME, { name: 'Created At', type: 'date', cell: (o) => o.metadata.creationTimestamp ?? '' }],
  Kustomization: [NAME, AGE, READY, STATUS],
  HelmRelease: [NAME, AGE, READY, STATUS],
  GitRepository: [NAME, URL, AGE, READY, STATUS],
  HelmRepository: [NAME, URL, AGE, READY, STATUS],
  OCIRepository: [NAME, URL, READY, STATUS, AGE],
};

// The Table for a list of objects (PartialObjectMetadata rows, as kubectl requests by default).
export function toTable(rt: ResourceType, objects: KubeObject[], resourceVersion: string): Record<string, unknown> {
  const columns = COLUMNS[rt.kind] ?? [NAME, AGE];
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type ?? 'string', format: c.format ?? '', description: c.name, priority: c.priority ?? 0 })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

// True when the Accept header asks for a Table.
export function wantsTable(accept: string | undefined): boolean {
  return Boolean(accept && /as=Table/.test(accept.split(',')[0] ?? ''));
}

// Pods as a Deployment's ReplicaSet creates them, their logs, and crash loops.
import { createHash, randomBytes } from 'node:crypto';
import type { Cluster } from './cluster.ts';
import { badRequest } from './errors.ts';
import { clone, nowTime } from './store.ts';
import { POD_TEMPLATE_HASH, type Container, type KubeObject } from './kube.ts';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

// The pod-template-hash of a pod template (10 characters of the k8s "safe" alphabet).
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template ?? {})).digest();
  return Array.from(digest.subarray(0, 10), (b) => SAFE[b % SAFE.length]).join('');
}

function suffix(): string {
  return Array.from(randomBytes(5), (b) => SAFE[b % SAFE.length]).join('');
}

// Python-style isoformat with microseconds, as the k8s-sidecar writes.
function pyTime(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

// One k8s-sidecar JSON log line.
export function sidecarLine(msg: string, level = 'INFO'): string {
  return `{"time": "${pyTime()}", "msg": ${JSON.stringify(msg)}, "level": "${level}"}`;
}

// True for a container running kiwigrid/k8s-sidecar (by image or the grafana chart's container names).
export function isSidecar(container: Container): boolean {
  return /k8s-sidecar/.test(String(container.image ?? '')) || /^grafana-sc-/.test(String(container.name ?? ''));
}

function firstLines(cluster: Cluster, namespace: string, container: Container): string[] {
  if (isSidecar(container)) {
    const cmType = cluster.registry.byPlural('', 'v1', 'configmaps')!;
    const dashboards = cluster.store.list(cmType, namespace).filter((cm) => cm.metadata.labels?.grafana_dashboard !== undefined);
    return [
      sidecarLine('Starting collector'),
      sidecarLine('No folder annotation was provided, defaulting to k8s-sidecar-target-directory', 'WARNING'),
      sidecarLine('Loading incluster config ...'),
      sidecarLine("Config for cluster api at 'https://10.96.0.1:443' loaded..."),
      sidecarLine('Unique filenames will not be enforced.'),
      sidecarLine('5xx response content will not be enabled.'),
      ...dashboards.flatMap((cm) => Object.keys({ ...cm.data, ...cm.binaryData }).map((k) => sidecarLine(`Writing /tmp/dashboards/${k} (ascii)`))),
    ];
  }
  if (/grafana/.test(String(container.image ?? container.name))) {
    const t = nowTime();
    return [`logger=settings t=${t} level=info msg="Starting Grafana" version=11.6.0`, `logger=http.server t=${t} level=info msg="HTTP Server Listen" address=[::]:3000 protocol=http`];
  }
  const ts = nowTime();
  return [`{"level":"info","ts":"${ts}","logger":"setup","msg":"starting manager"}`, `{"level":"info","ts":"${ts}","msg":"Starting workers","controller":"${container.name}","worker count":4}`];
}

// Creates (and stores) one Running pod for a Deployment's template; logs start with each container's startup lines.
export function createPod(cluster: Cluster, deployment: KubeObject, hash: string): KubeObject {
  const ns = deployment.metadata.namespace ?? '';
  const template = clone(deployment.spec.template ?? {});
  const name = `${deployment.metadata.name}-${hash}-${suffix()}`;
  const containers = template.spec?.containers ?? [];
  const now = nowTime();
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: ns, generateName: `${deployment.metadata.name}-${hash}-`,
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
      annotations: template.metadata?.annotations,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deployment.metadata.name}-${hash}`, uid: deployment.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...(template.spec ?? {}), nodeName: 'sim-node' },
    status: {
      phase: 'Running', podIP: `10.244.0.${10 + Math.floor(Math.random() * 240)}`, hostIP: '172.18.0.2', startTime: now, qosClass: 'BestEffort',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
      containerStatuses: containers.map((c: Container) => ({ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } })),
    },
  };
  if (!pod.metadata.annotations) delete pod.metadata.annotations;
  for (const c of containers) cluster.logs.set(`${ns}/${name}/${c.name}`, firstLines(cluster, ns, c));
  const stored = cluster.saveInternal(pod);
  if (cluster.crashLoops.has(`${ns}/${deployment.metadata.name}`)) crashPod(cluster, ns, name);
  return stored;
}

// Marks a pod's containers as crash-looping (CrashLoopBackOff, restarts, not ready).
export function crashPod(cluster: Cluster, namespace: string, name: string): void {
  const podType = cluster.registry.byPlural('', 'v1', 'pods')!;
  cluster.writeStatus(podType, namespace, name, (pod) => {
    const now = nowTime();
    for (const c of pod.status.containerStatuses ?? []) {
      c.ready = false;
      c.started = false;
      c.restartCount = Math.max(c.restartCount ?? 0, 0) + 4;
      c.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off 1m20s restarting failed container=${c.name} pod=${name}_${namespace}(${pod.metadata.uid})` } };
      c.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } };
      const key = `${namespace}/${name}/${c.name}`;
      cluster.logs.set(key, [...(cluster.logs.get(key) ?? []), 'Error: failed to start: exit status 1']);
    }
    for (const cond of pod.status.conditions ?? []) if (cond.type === 'Ready' || cond.type === 'ContainersReady') { cond.status = 'False'; cond.reason = 'ContainersNotReady'; }
  });
}

// Brings a crash-looping pod back: containers running and ready (restart counts are kept).
export function healPod(cluster: Cluster, namespace: string, name: string): void {
  const podType = cluster.registry.byPlural('', 'v1', 'pods')!;
  cluster.writeStatus(podType, namespace, name, (pod) => {
    const now = nowTime();
    for (const c of pod.status.containerStatuses ?? []) {
      c.ready = true;
      c.started = true;
      c.state = { running: { startedAt: now } };
    }
    for (const cond of pod.status.conditions ?? []) { cond.status = 'True'; delete cond.reason; }
  });
}

// Appends lines to a container's log.
export function appendLog(cluster: Cluster, namespace: string, pod: string, container: string, lines: string[]): void {
  const key = `${namespace}/${pod}/${container}`;
  cluster.logs.set(key, [...(cluster.logs.get(key) ?? []), ...lines]);
}

// The text of GET pods/<name>/log: `container` is required for multi-container pods, `tailLines` keeps the last N.
export function readLog(cluster: Cluster, pod: KubeObject, query: Record<string, string>): string {
  const names: string[] = (pod.spec?.containers ?? []).map((c: Container) => c.name);
  const container = query.container || (names.length === 1 ? names[0] : '');
  const podName = pod.metadata.name;
  if (!container) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
  let lines = cluster.logs.get(`${pod.metadata.namespace}/${podName}/${container}`) ?? [];
  if (query.tailLines !== undefined) lines = Number(query.tailLines) >= 0 ? lines.slice(Math.max(0, lines.length - Number(query.tailLines))) : lines;
  return lines.map((l) => `${l}\n`).join('');
}

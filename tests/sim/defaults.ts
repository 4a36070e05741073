// Defaulting the API server applies to built-in kinds, so that live objects look like a real cluster's.
import { createHash } from 'node:crypto';
import type { ResourceType } from './resources.ts';
import { APPS_GROUP, isJsonObject, type Container, type KubeObject } from './kube.ts';

function defaultPodSpec(spec: unknown): void {
  if (!isJsonObject(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...((spec.containers ?? []) as Container[]), ...((spec.initContainers ?? []) as Container[])]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??= String(c.image ?? '').endsWith(':latest') || !String(c.image ?? '').includes(':') ? 'Always' : 'IfNotPresent';
    c.resources ??= {};
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  }
}

// Fills in the defaults a real API server sets on create and update.
export function applyDefaults(rt: ResourceType, obj: KubeObject): void {
  if (rt.group === '' && rt.kind === 'Namespace') {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec ??= { finalizers: ['kubernetes'] };
    obj.status ??= { phase: 'Active' };
  }
  if (rt.group === '' && rt.kind === 'Secret') obj.type ??= 'Opaque';
  if (rt.group === '' && rt.kind === 'Secret' && obj.stringData) {
    obj.data = { ...(obj.data ?? {}) };
    for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
    delete obj.stringData;
  }
  if (rt.group === '' && rt.kind === 'Service') {
    const spec = (obj.spec ??= {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    const hash = createHash('sha1').update(`${obj.metadata.namespace}/${obj.metadata.name}`).digest();
    spec.clusterIP ??= `10.96.${hash[0]}.${Math.max(1, hash[1] % 255)}`;
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
    for (const p of spec.ports ?? []) { p.protocol ??= 'TCP'; p.targetPort ??= p.port; }
    obj.status ??= { loadBalancer: {} };
  }
  if (rt.group === '' && rt.kind === 'Pod') defaultPodSpec(obj.spec);
  if (rt.group === APPS_GROUP && rt.kind === 'Deployment') {
    const spec = (obj.spec ??= {});
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate ??= { maxSurge: '25%', maxUnavailable: '25%' };
    spec.template ??= {};
    spec.template.metadata ??= {};
    defaultPodSpec(spec.template.spec);
  }
}

// The starting state: namespaces, Flux CRDs, the grafana Deployment in `logging` and the Flux controllers.
import type { Cluster } from './cluster.ts';
import { applyDefaults } from './defaults.ts';
import { defaultResourceTypes } from './resources.ts';
import { FLUX_GROUPS, FLUX_NAMESPACE, GRAFANA, GRAFANA_NAMESPACE, type KubeObject } from './kube.ts';

export const SEED_NAMESPACES = ['default', 'kube-system', FLUX_NAMESPACE, GRAFANA_NAMESPACE, 'monitoring'];
export const FLUX_CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'];

// Stores an object as if an admin had created it: defaults, generation 1.
export function seedObject(cluster: Cluster, object: KubeObject): KubeObject {
  const rt = cluster.typeOf(object.apiVersion, object.kind);
  applyDefaults(rt, object);
  if (rt.hasGeneration) object.metadata.generation ??= 1;
  const saved = cluster.store.save(rt, object);
  if (rt.kind === 'CustomResourceDefinition') cluster.registry.registerCrd(saved);
  return saved;
}

function fluxCrds(): KubeObject[] {
  return defaultResourceTypes().filter((t) => FLUX_GROUPS.includes(t.group)).map((t) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${t.plural}.${t.group}`, labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': t.group.split('.')[0] + '-controller' } },
    spec: {
      group: t.group, scope: 'Namespaced',
      names: { kind: t.kind, listKind: t.listKind, plural: t.plural, singular: t.singular, shortNames: t.shortNames, categories: t.categories },
      versions: [{ name: t.version, served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
    status: { acceptedNames: { kind: t.kind, plural: t.plural }, storedVersions: [t.version], conditions: [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }] },
  }));
}

function grafana(): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': GRAFANA, 'app.kubernetes.io/instance': GRAFANA };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: GRAFANA, namespace: GRAFANA_NAMESPACE, labels } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: GRAFANA, namespace: GRAFANA_NAMESPACE, labels }, spec: { selector: labels, ports: [{ name: 'service', port: 80, targetPort: 3000 }] } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: GRAFANA, namespace: GRAFANA_NAMESPACE, labels },
      spec: {
        replicas: 1, selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { 'kubectl.kubernetes.io/default-container': GRAFANA } },
          spec: {
            serviceAccountName: GRAFANA,
            containers: [
              { name: 'grafana-sc-dashboard', image: 'quay.io/kiwigrid/k8s-sidecar:1.30.0',
                env: [{ name: 'METHOD', value: 'WATCH' }, { name: 'LABEL', value: 'grafana_dashboard' }, { name: 'FOLDER', value: '/tmp/dashboards' },
                  { name: 'RESOURCE', value: 'both' }, { name: 'NAMESPACE', value: 'ALL' }],
                volumeMounts: [{ name: 'sc-dashboard-volume', mountPath: '/tmp/dashboards' }] },
              { name: GRAFANA, image: 'docker.io/grafana/grafana:11.6.0', ports: [{ name: GRAFANA, containerPort: 3000 }],
                volumeMounts: [{ name: 'sc-dashboard-volume', mountPath: '/tmp/dashboards' }] },
            ],
            volumes: [{ name: 'sc-dashboard-volume', emptyDir: {} }],
          },
        },
      },
    },
  ];
}

function fluxControllers(): KubeObject[] {
  return FLUX_CONTROLLERS.map((name) => ({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: FLUX_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': name, control_plane: 'controller' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { serviceAccountName: name, containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${name}:v1.6.0`, ports: [{ name: 'http-prom', containerPort: 8080 }] }] },
      },
    },
  }));
}

// Creates the seed objects; Deployments are rolled out at once by the caller.
export function seedCluster(cluster: Cluster): void {
  for (const name of SEED_NAMESPACES) seedObject(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const crd of fluxCrds()) seedObject(cluster, crd);
  for (const obj of [...grafana(), ...fluxControllers()]) seedObject(cluster, obj);
}

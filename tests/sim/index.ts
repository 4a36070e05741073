// In-process API of the simulated cluster: start a server, inspect and arrange state, inject faults, stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminHandler } from './admin.ts';
import { Cluster } from './cluster.ts';
import { createFaults, type Faults } from './faults.ts';
import { FluxControllers } from './flux-controllers.ts';
import { loadFrom } from './from-dir.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { seedCluster, seedObject } from './seed.ts';
import { SimServer, type SimRequest } from './server.ts';
import { DeploymentController } from './workloads.ts';
import { APPS_GROUP, type KubeObject } from './kube.ts';

export type { SimRequest } from './server.ts';
export type { Faults } from './faults.ts';
export { runKubectl, type KubectlResult } from './kubectl.ts';

export type SimOptions = { from?: string | string[]; port?: number; kubeconfigPath?: string; reconcileDelayMs?: number };

export type SimCluster = {
  kubeconfig: string;
  url: string;
  env: Record<string, string>;
  home: string; // HOME for kubectl: its own discovery cache per server
  requests: SimRequest[];
  writes(): SimRequest[];
  clearRequests(): void;
  // NOTE: `any` (not `KubeObject | undefined`) only because tests outside tests/sim read live fields
  // directly; switching needs a `!` at each of those call sites.
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): any;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  put(object: KubeObject): void;
  logs(namespace: string, pod: string, container: string): string[];
  faults: Faults;
  skipped: string[]; // `Kind/name` of `--from` objects whose kind is not served
  stop(): Promise<void>;
};

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

// Starts a seeded simulator on 127.0.0.1 and writes its kubeconfig (context `sim`).
export async function startSimCluster(options: SimOptions = {}): Promise<SimCluster> {
  const cluster = new Cluster(options.reconcileDelayMs ?? 100);
  const flux = new FluxControllers(cluster);
  const deployments = new DeploymentController(cluster);
  seedCluster(cluster);
  const froms = options.from === undefined ? [] : Array.isArray(options.from) ? options.from : [options.from];
  const skipped = froms.flatMap((d) => loadFrom(cluster, d));
  flux.reconcileAllNow();
  const deployType = cluster.registry.byPlural(APPS_GROUP, 'v1', 'deployments')!;
  for (const d of cluster.store.list(deployType)) deployments.rolloutNow(d.metadata.namespace ?? '', d.metadata.name);

  let faults: Faults | undefined;
  let server: SimServer | undefined;
  const put = (object: KubeObject) => {
    const rt = cluster.typeOf(object.apiVersion, object.kind);
    const live = cluster.store.get(rt, object.metadata?.namespace, object.metadata?.name);
    if (!live) { seedObject(cluster, structuredClone(object)); return; }
    const next = structuredClone(object);
    next.metadata = { ...next.metadata, uid: live.metadata.uid, creationTimestamp: live.metadata.creationTimestamp };
    if (rt.hasGeneration) next.metadata.generation = (live.metadata.generation ?? 0) + (JSON.stringify(next.spec) === JSON.stringify(live.spec) ? 0 : 1);
    cluster.store.save(rt, next);
  };
  server = new SimServer(cluster, (method, path, body) => adminHandler({ cluster, faults: faults!, requests: () => server!.requests, put }, method, path, body));
  faults = createFaults(cluster, flux, deployments, server);
  const port = await server.listen(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  const srv = server;
  const dir = mkdtempSync(join(tmpdir(), 'sim-cluster-'));
  const kubeconfig = options.kubeconfigPath ?? join(dir, 'kubeconfig');
  try {
    writeKubeconfig(kubeconfig, url);
  } catch (error) {
    cluster.stopTimers();
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const home = join(dir, 'home');
  return {
    kubeconfig, url, home, skipped,
    env: { KUBECONFIG: kubeconfig },
    requests: srv.requests,
    writes: () => srv.requests.filter((r) => MUTATING.has(r.verb)),
    clearRequests: () => { srv.requests.length = 0; },
    get: (apiVersion, kind, namespace, name) => cluster.store.get(cluster.typeOf(apiVersion, kind), namespace, name),
    list: (apiVersion, kind, namespace) => cluster.store.list(cluster.typeOf(apiVersion, kind), namespace),
    put,
    logs: (namespace, pod, container) => [...(cluster.logs.get(`${namespace}/${pod}/${container}`) ?? [])],
    faults,
    async stop() {
      cluster.stopTimers();
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

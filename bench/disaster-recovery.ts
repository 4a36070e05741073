// disaster-recovery's suspend step against what a shell loop does (one `kubectl patch` per object,
// in sequence), on the simulated cluster with 300 Flux objects in 10 namespaces. Printed as a
// ratio (target ≤ 0.2); a measurement, it does not fail. BENCH_DR=0 skips it.
import { startSimCluster, runKubectl } from '../tests/sim/index.ts';
import { createContext, standaloneControl, type TaskIo } from '../scripts/task/context.ts';
import { createKubectl } from '../scripts/adapters/kubectl.ts';
import { listFluxObjects, setSuspended } from '../scripts/runbook/suspend-all.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAMESPACES = 10;
const PER_NAMESPACE = 30;

const sim = await startSimCluster({ reconcileDelayMs: 1000 });
const scratch = mkdtempSync(join(tmpdir(), 'bench-dr-'));
try {
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `team-${n}`;
    sim.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (let i = 0; i < PER_NAMESPACE; i++) {
      const kind = i % 3 === 0 ? 'HelmRelease' : 'Kustomization';
      const apiVersion = kind === 'HelmRelease' ? 'helm.toolkit.fluxcd.io/v2' : 'kustomize.toolkit.fluxcd.io/v1';
      sim.put({ apiVersion, kind, metadata: { name: `app-${i}`, namespace }, spec: kind === 'HelmRelease' ? { interval: '10m', chart: { spec: { chart: 'x', sourceRef: { kind: 'HelmRepository', name: 'x' } } } } : { interval: '10m', path: './x', prune: true, sourceRef: { kind: 'GitRepository', name: 'x' } } });
    }
  }
  const objects = sim.list('kustomize.toolkit.fluxcd.io/v1', 'Kustomization').concat(sim.list('helm.toolkit.fluxcd.io/v2', 'HelmRelease'));
  const resumeAll = async () => {
    for (let n = 0; n < NAMESPACES; n++) {
      for (const kind of ['kustomizations', 'helmreleases']) {
        await runKubectl(sim, ['patch', kind, '--all', '-n', `team-${n}`, '--type=merge', '-p', '{"spec":{"suspend":null}}']).catch(() => undefined);
      }
    }
  };

  // A shell loop: one kubectl patch per object, in sequence.
  await resumeAll();
  let started = performance.now();
  for (const o of objects) {
    const resource = o.kind === 'HelmRelease' ? 'helmreleases.helm.toolkit.fluxcd.io' : 'kustomizations.kustomize.toolkit.fluxcd.io';
    const result = await runKubectl(sim, ['patch', resource, o.metadata.name, '-n', o.metadata.namespace!, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    if (result.exitCode !== 0) throw new Error(result.stderr);
  }
  const loop = performance.now() - started;

  // disaster-recovery's step: one list, one patch per namespace and kind, a few at a time.
  await resumeAll();
  const io: TaskIo = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: {}, env: { PATH: process.env.PATH, HOME: sim.home, KUBECONFIG: sim.kubeconfig }, cwd: scratch };
  const context = createContext('bench', { dryRun: false, yes: true, verbose: false, quiet: true }, io, standaloneControl(io, { yes: true }));
  const kubectl = createKubectl(context.runner, { context: 'sim' });
  started = performance.now();
  const { active } = await listFluxObjects(kubectl);
  await setSuspended(kubectl, active, true, () => undefined);
  const step = performance.now() - started;
  const suspended = sim.list('kustomize.toolkit.fluxcd.io/v1', 'Kustomization').concat(sim.list('helm.toolkit.fluxcd.io/v2', 'HelmRelease')).filter((o) => o.spec?.suspend === true).length;

  const ratio = step / loop;
  console.log(`disaster-recovery suspend step, ${objects.length} Flux objects in ${NAMESPACES} namespaces (simulated cluster)`);
  console.log(`  kubectl patch per object, in sequence   ${(loop / 1000).toFixed(1).padStart(6)} s`);
  console.log(`  disaster-recovery suspend step          ${(step / 1000).toFixed(1).padStart(6)} s  ratio ${ratio.toFixed(2)} (target ≤ 0.2: ${ratio <= 0.2 ? 'ok' : 'over target'}; ${suspended} suspended)`);
} finally {
  await sim.stop();
  rmSync(scratch, { recursive: true, force: true });
}

// status against the simulated cluster following a real Git repository: a bad commit (an image
// that crash-loops) shows up as a failing health check and a pod not running, at the revision
// that is origin/main; reverting it makes the cluster healthy again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { clusterTree, CRASHING_IMAGE, deployment, gitOpsRepo, GOOD_IMAGE, waitFor, type GitOpsRepo } from '../../sim/git-fixture.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { status } from '../../../scripts/status/status.ts';

let repo: GitOpsRepo;
let sim: SimCluster;
test.before(async () => {
  repo = gitOpsRepo((url) => clusterTree(url, 'staging'));
  sim = await startSimCluster({ from: join(repo.work, 'clusters/staging/flux-system'), reconcileDelayMs: 20 });
});
test.after(async () => {
  await sim?.stop();
  repo?.remove();
});

const ready = (name: string) => sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', name)?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
const appliedAt = (sha: string) => () => ['flux-system', 'infra', 'apps'].every((name) => ready(name)?.status === 'True' && ready(name)?.message === `Applied revision: main@sha1:${sha}`);
// Durations depend on when the test runs.
const ages = (text: string) => text.replace(/\b\d+(?:s|m(?:\d+s)?)\b/g, '<t>').replace(/ {2,}/g, '  ');

async function run(): Promise<{ code: number; out: string }> {
  const { io, context } = simContext(sim, {}, repo.work);
  const code = await status({ clusters: ['staging'], all: false, json: false, graph: false }, context);
  return { code, out: io.out() };
}

test('the applied head of main is healthy and equal to origin/main', async () => {
  const sha = repo.head();
  await waitFor('the first commit to be applied', appliedAt(sha));
  const { code, out } = await run();
  assert.is(out, [
    'context sim is cluster staging',
    '✔ staging is healthy: 3 Kustomizations, 0 HelmReleases, 1 source Ready; 6 pods running',
    '',
    `revision: applied main@sha1:${sha.slice(0, 8)} = origin/main`,
    '',
  ].join('\n'));
  assert.is(code, 0);
});

test('a commit with a crash-looping image shows up as a failed health check and a pod not running', async () => {
  const bad = repo.push({ 'apps/deployment.yaml': deployment('podinfo', 'apps', CRASHING_IMAGE) }, 'podinfo: new image');
  await waitFor('the health check to fail', () => ready('apps')?.reason === 'HealthCheckFailed');
  const pod = sim.list('v1', 'Pod', 'apps')[0].metadata.name;
  const { code, out } = await run();
  assert.is(ages(out), ages([
    'context sim is cluster staging',
    '✗ staging is not healthy: 1 not Ready, 1 pod not running',
    '',
    'Flux objects not Ready:',
    'KIND  NAME  READY  REASON  FOR  MESSAGE',
    "Kustomization  flux-system/apps  False  HealthCheckFailed  0s  timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']",
    '',
    'Pods not running:',
    'NAME  STATE  RESTARTS  READY  AGE',
    `apps/${pod}  CrashLoopBackOff  4  0/1  0s`,
    '',
    `revision: applied main@sha1:${bad.slice(0, 8)} = origin/main`,
    '',
  ].join('\n')));
  assert.is(code, 1);
});

test('reverting the commit makes the cluster healthy again', async () => {
  const good = repo.push({ 'apps/deployment.yaml': deployment('podinfo', 'apps', GOOD_IMAGE) }, 'Revert "podinfo: new image"');
  await waitFor('the revert to be applied', appliedAt(good));
  const { code, out } = await run();
  assert.match(out, `✔ staging is healthy: 3 Kustomizations, 0 HelmReleases, 1 source Ready; 6 pods running\n\nrevision: applied main@sha1:${good.slice(0, 8)} = origin/main\n`);
  assert.is(code, 0);
});

test.run();

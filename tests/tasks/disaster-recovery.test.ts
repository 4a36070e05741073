// disaster-recovery end to end: a GitOps repository with a bare origin that the simulated Flux
// follows (file://), a bad commit that makes a workload crash-loop, and the task bringing the
// cluster back with either strategy; interrupted and continued; a production cluster refused
// without its typed name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, runKubectl, type SimCluster } from '../sim/index.ts';
import { CRASHING_IMAGE, GOOD_IMAGE, clusterTree, deployment, gitOpsRepo, waitFor, type GitOpsRepo } from '../sim/git-fixture.ts';
import { captureIo } from '../helpers/io.ts';
import { git } from '../helpers/testdir.ts';
import { runTask } from '../../scripts/task/run-task.ts';
import task from '../../tasks/disaster-recovery.ts';

type World = { sim: SimCluster; repo: GitOpsRepo; good: string; bad: string };

const imageOf = (sim: SimCluster) => sim.get('apps/v1', 'Deployment', 'apps', 'podinfo')?.spec?.template?.spec?.containers?.[0]?.image as string | undefined;
const ks = (sim: SimCluster, name: string) => sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', name);
const ready = (o: { status?: { conditions?: { type: string; status: string }[] } } | undefined) => o?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

// A cluster synced from the repository, then broken by a pushed commit.
async function brokenWorld(tier: 'staging' | 'production' = 'staging'): Promise<World> {
  const sim = await startSimCluster({ reconcileDelayMs: 10 });
  const repo = gitOpsRepo((url) => {
    const tree = clusterTree(url);
    if (tier === 'production') tree['clusters/dev/settings.yaml'] = tree['clusters/dev/settings.yaml'].replace('tier: staging', 'tier: production');
    return tree;
  });
  const good = repo.head();
  const applied = await runKubectl(sim, ['apply', '-k', join(repo.work, 'clusters/dev')]);
  assert.is(applied.exitCode, 0, applied.stderr);
  await waitFor('apps to be Ready at the good commit', () => ready(ks(sim, 'apps')) && imageOf(sim) === GOOD_IMAGE, 60_000);
  const bad = repo.push({ 'apps/deployment.yaml': deployment('podinfo', 'apps', CRASHING_IMAGE) }, 'podinfo: new image');
  await waitFor('the bad commit to break apps', () => imageOf(sim) === CRASHING_IMAGE && !ready(ks(sim, 'apps')), 60_000);
  return { sim, repo, good, bad };
}

async function recover(world: World, ...args: string[]) {
  const io = captureIo({ cwd: world.repo.work, env: { KUBECONFIG: world.sim.kubeconfig, HOME: world.sim.home, GIT_AUTHOR_NAME: 'Ops', GIT_AUTHOR_EMAIL: 'ops@example.com', GIT_COMMITTER_NAME: 'Ops', GIT_COMMITTER_EMAIL: 'ops@example.com' } });
  const code = await runTask(task, ['dev', '--timeout', '60', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

function report(world: World): string {
  const dir = join(world.repo.work, 'tmp', 'incidents');
  const id = readdirSync(dir).sort().at(-1)!;
  return readFileSync(join(dir, id, 'report.md'), 'utf8');
}

async function end(world: World): Promise<void> {
  await world.sim.stop();
  world.repo.remove();
}

test('revert: the bad commit is reverted and pushed, Flux resumed applies it, the cluster is healthy again, with a report', async () => {
  const world = await brokenWorld();
  try {
    const run = await recover(world, '--to', world.good, '--yes');
    assert.is(run.code, 0, run.err);
    git(world.repo.work, 'fetch', '-q', 'origin');
    assert.is(git(world.repo.work, 'log', '-1', '--format=%s', 'origin/main'), 'Revert "podinfo: new image"');
    assert.is(git(world.repo.work, 'rev-parse', 'HEAD'), world.bad, "the operator's work tree was not touched");
    await waitFor('apps Ready at the revert', () => ready(ks(world.sim, 'apps')) && imageOf(world.sim) === GOOD_IMAGE, 60_000);
    for (const name of ['flux-system', 'infra', 'apps']) assert.is(ks(world.sim, name).spec?.suspend, undefined, `${name} resumed`);
    const text = report(world);
    assert.match(text, /^# Incident \S+: disaster recovery of dev\n/);
    assert.match(text, new RegExp(`- Known-good commit: ${world.good} — initial\\n`));
    assert.match(text, /\| assess \| assessed: /);
    assert.match(text, /\| suspend \| suspended 3 objects \(0 were suspended before and stay so\) \|/);
    assert.match(text, /\| restore \| pushed 1 revert commit\(s\) to origin\/main \|/);
    assert.match(text, /kubectl --context sim patch kustomizations.kustomize.toolkit.fluxcd.io/);
    assert.match(text, /```mermaid/);
  } finally {
    await end(world);
  }
});

test('apply: the known-good builds are applied with flux-system left alone; Flux stays suspended until Git is fixed, then the same command finishes', async () => {
  const world = await brokenWorld();
  try {
    const first = await recover(world, '--strategy', 'apply', '--to', world.good, '--yes');
    assert.is(first.code, 1, first.err);
    assert.is(imageOf(world.sim), GOOD_IMAGE, 'the known-good Deployment applied');
    assert.match(first.err, /✗ Flux stays suspended: origin\/main still differs from the known-good commit on the paths of dev, and resuming would apply that again\n/, first.err);
    assert.match(first.err, /What is left to do:\n  • the recovery of dev is journaled in tmp\/incidents\/\S+: run `npx zx tasks\/disaster-recovery.ts dev` again to continue from the last completed step\n$/, first.err);
    assert.is(ks(world.sim, 'apps').spec.suspend, true);
    assert.ok(!world.sim.writes().some((r) => r.path.includes('/deployments/source-controller') && r.verb !== 'get'), 'Flux controllers untouched');
    git(world.repo.work, 'revert', '--no-edit', world.bad);
    git(world.repo.work, 'push', '-q', 'origin', 'main');
    const second = await recover(world, '--strategy', 'apply', '--to', world.good, '--yes');
    assert.is(second.code, 0, second.err);
    assert.match(second.err, /continuing incident \S+ from resume/, second.err);
    assert.match(second.err, /✔ restore \(apply\) \(done in an earlier run\)/, second.err);
    for (const name of ['flux-system', 'infra', 'apps']) assert.is(ks(world.sim, name).spec?.suspend, undefined, `${name} resumed`);
    await waitFor('apps Ready', () => ready(ks(world.sim, 'apps')) && imageOf(world.sim) === GOOD_IMAGE, 60_000);
  } finally {
    await end(world);
  }
});

test('interrupted after the suspend, the same command continues without suspending again', async () => {
  const world = await brokenWorld();
  try {
    world.sim.faults.rejectWrites('kustomizations', 1, 500, 'etcdserver: request timed out');
    // The source reconcile at the end fails once the resume patch for the first level is refused.
    const failed = await recover(world, '--to', world.good, '--yes');
    assert.is(failed.code, 1, failed.err);
    const journalDir = join(world.repo.work, 'tmp', 'incidents');
    const journal = JSON.parse(readFileSync(join(journalDir, readdirSync(journalDir)[0], 'journal.json'), 'utf8'));
    assert.equal(journal.done, ['assess']);
    assert.is(journal.started, 'suspend');
    assert.is(journal.suspended.length, 3, 'what to suspend was recorded before the first patch');
    const again = await recover(world, '--to', world.good, '--yes');
    assert.is(again.code, 0, again.err);
    assert.match(again.err, /continuing incident \S+ from suspend \(suspend was interrupted: it is run again, checking what is already done\)/, again.err);
    await waitFor('apps Ready', () => ready(ks(world.sim, 'apps')) && imageOf(world.sim) === GOOD_IMAGE, 60_000);
  } finally {
    await end(world);
  }
});

// One interruption per step, each then continued by the same command to a healthy cluster.
const interruptions: { step: string; fault: (world: World) => Promise<void>; heal: (world: World) => Promise<void> }[] = [
  { step: 'choose', fault: async (w) => void git(w.repo.work, 'remote', 'set-url', 'origin', `${w.repo.bare}.moved`), heal: async (w) => void git(w.repo.work, 'remote', 'set-url', 'origin', w.repo.bare) },
  { step: 'restore', fault: async (w) => hook(w, 'exit 1'), heal: async (w) => hook(w, 'exit 0') },
  // The source's reconcile request at the end of the resume is refused once.
  { step: 'resume', fault: async (w) => void w.sim.faults.rejectWrites('gitrepositories', 1, 500, 'etcdserver: request timed out'), heal: async () => undefined },
  // apps kept failing: verify gives up (after --timeout); the fault cleared, the next run verifies again.
  { step: 'verify', fault: async (w) => w.sim.faults.failObject('Kustomization/flux-system/apps', 'HealthCheckFailed', 'simulated: health check failed'), heal: async (w) => w.sim.faults.clear('Kustomization/flux-system/apps') },
];

// A pre-receive hook in the bare origin (exit 1 refuses every push).
function hook(world: World, body: string): void {
  const path = join(world.repo.bare, 'hooks', 'pre-receive');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

for (const { step, fault, heal } of interruptions) {
  test(`interrupted at ${step}, the same command continues from there to a healthy cluster`, async () => {
    const world = await brokenWorld();
    try {
      await fault(world);
      const failed = await recover(world, '--to', world.good, '--yes', '--timeout', '5');
      await heal(world);
      assert.is(failed.code, 1, failed.err);
      const journalDir = join(world.repo.work, 'tmp', 'incidents');
      const journal = JSON.parse(readFileSync(join(journalDir, readdirSync(journalDir)[0], 'journal.json'), 'utf8'));
      assert.is(journal.started, step, failed.err);
      assert.not.ok(journal.done.includes(step));
      const again = await recover(world, '--to', world.good, '--yes');
      assert.is(again.code, 0, again.err);
      assert.match(again.err, new RegExp(`continuing incident \\S+ from ${step} \\(${step} was interrupted`), again.err);
      await waitFor('apps Ready', () => ready(ks(world.sim, 'apps')) && imageOf(world.sim) === GOOD_IMAGE, 60_000);
      git(world.repo.work, 'fetch', '-q', 'origin');
      assert.is(git(world.repo.work, 'rev-list', '--count', `${world.bad}..origin/main`), '1', 'one revert pushed, not two');
    } finally {
      await end(world);
    }
  });
}

test('a cluster that cannot be reached at the start leaves nothing to continue', async () => {
  const world = await brokenWorld();
  try {
    await world.sim.faults.unreachable();
    const run = await recover(world, '--to', world.good, '--yes');
    assert.is(run.code, 1);
    assert.match(run.err, /✗ cannot reach the cluster of kube context "sim"\n/, run.err);
    assert.not.ok(existsSync(join(world.repo.work, 'tmp', 'incidents')), 'no incident was started');
  } finally {
    await world.sim.faults.reachable();
    await end(world);
  }
});

test('a production cluster is not touched without its name typed (--yes does not answer it)', async () => {
  const world = await brokenWorld('production');
  try {
    const run = await recover(world, '--to', world.good, '--yes');
    assert.is(run.code, 2, run.err);
    assert.match(run.err, /\nerror: "Disaster recovery \(revert\) on production cluster dev\." needs an answer, and there is no terminal to ask on: pass --confirm-cluster dev \(--yes does not answer this\)\n/, run.err);
    assert.is(ks(world.sim, 'apps').spec?.suspend, undefined, 'nothing suspended');
    const confirmed = await recover(world, '--to', world.good, '--yes', '--confirm-cluster', 'dev');
    assert.is(confirmed.code, 0, confirmed.err);
  } finally {
    await end(world);
  }
});

test('--dry-run prints the plan and changes nothing', async () => {
  const world = await brokenWorld();
  try {
    world.sim.clearRequests();
    const run = await recover(world, '--to', world.good, '--yes', '--dry-run');
    assert.is(run.code, 0, run.err);
    assert.match(run.out, /would run: kubectl --context sim patch kustomizations.kustomize.toolkit.fluxcd.io /);
    assert.ok(world.sim.writes().every((r) => r.dryRun), 'no write reached the cluster');
    assert.not.ok(existsSync(join(world.repo.work, 'tmp', 'incidents')), 'no journal written');
  } finally {
    await end(world);
  }
});

test.run();

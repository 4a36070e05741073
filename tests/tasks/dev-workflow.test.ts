// dev-workflow end to end: real git (a temporary repository with a bare remote), the real kubectl
// against the simulated cluster loaded with clusters/staging, the task run as users run it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, runKubectl, type SimCluster } from '../sim/index.ts';
import { captureIo, type CapturedIo } from '../helpers/io.ts';
import { git, removeDir } from '../helpers/testdir.ts';
import { IDENTITY, workRepo } from '../helpers/work-repo.ts';
import { REPO } from '../helpers/run-task-process.ts';
import { runTask } from '../../scripts/task/run-task.ts';
import task from '../../tasks/dev-workflow.ts';

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster({ from: [join(REPO, 'clusters/staging')], reconcileDelayMs: 10 });
});
test.after(async () => {
  await sim.stop();
});

type Run = { code: number; io: CapturedIo };

async function dev(root: string, ...args: string[]): Promise<Run> {
  const io = captureIo({ cwd: root, env: { KUBECONFIG: sim.kubeconfig, HOME: sim.home, USER: 'dev', ...IDENTITY } });
  const waits = ['finish', 'abort', 'resume'].includes(args[0]) && !args.includes('--timeout') ? ['--timeout', '20'] : [];
  const code = await runTask(task, [...args, ...waits], io);
  return { code, io };
}

const ks = (name: string) => sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', name);
const session = (root: string) => JSON.parse(readFileSync(join(root, 'tmp/dev-workflow/session.json'), 'utf8'));

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: logging\ndata:\n  value: "${value}"\n`;

// Every Kustomization resumed again, as the next test expects the cluster.
async function reset(): Promise<void> {
  for (const name of ['logging', 'monitoring', 'infra-storage']) {
    if (ks(name)?.spec?.suspend) await runKubectl(sim, ['patch', 'kustomization', name, '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":null}}']);
  }
}

test('the happy path: start → test → checkpoint → finish leaves one commit, Flux resumed, nothing left over', async () => {
  const { dir, root } = workRepo();
  try {
    const started = await dev(root, 'start', 'tune loki retention', '--kustomization', 'flux-system/logging');
    assert.is(started.code, 0, started.io.err());
    assert.is(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'dev/tune-loki-retention');
    assert.is(ks('logging').spec.suspend, true);
    assert.equal(ks('logging').metadata.annotations['gitops-tasks/suspended-by'], 'Dev Person');
    assert.is(ks('logging').metadata.annotations['gitops-tasks/suspended-reason'], 'tune loki retention');
    assert.match(started.io.err(), /\$ kubectl --context sim patch kustomizations.kustomize.toolkit.fluxcd.io logging -n flux-system --type=merge -p .*--field-manager=flux-client-side-apply   # flux suspend kustomization logging -n flux-system\n/);

    mkdirSync(join(root, 'infrastructure/logging/dev'), { recursive: true });
    writeFileSync(join(root, 'infrastructure/logging/dev/settings.yaml'), configMap('dev-settings', 'one'));
    const tested = await dev(root, 'test', 'infrastructure/logging/dev/settings.yaml');
    assert.is(tested.code, 0, tested.io.err());
    assert.is(sim.get('v1', 'ConfigMap', 'logging', 'dev-settings').data.value, 'one');
    assert.equal(session(root).created, [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'logging', name: 'dev-settings' }]);

    const diff = await dev(root, 'diff', 'infrastructure/logging/dev/settings.yaml');
    assert.is(diff.code, 0);
    assert.match(diff.io.out(), /no changes against the cluster/);
    writeFileSync(join(root, 'infrastructure/logging/dev/settings.yaml'), configMap('dev-settings', 'two'));
    const changed = await dev(root, 'diff', 'infrastructure/logging/dev/settings.yaml');
    assert.is(changed.code, 1);
    assert.match(changed.io.out(), /-  value: one\n\+  value: two\n/);

    const first = await dev(root, 'checkpoint', 'first try');
    assert.is(first.code, 0, first.io.err());
    assert.match(first.io.out(), /^Checkpoint 1 on dev\/tune-loki-retention: first try \(1 file\)\.\n$/);
    writeFileSync(join(root, 'infrastructure/logging/dev/settings.yaml'), configMap('dev-settings', 'three'));

    const bad = await dev(root, 'finish', 'tuned loki');
    assert.is(bad.code, 2);
    assert.match(bad.io.err(), /^error: the commit message is not a conventional commit: "tuned loki" is not "<type>\(<scope>\): <description>"/);

    const finished = await dev(root, 'finish', 'fix(logging): tune loki retention', '--push', '--yes');
    assert.is(finished.code, 0, finished.io.err());
    assert.is(git(root, 'rev-list', '--count', 'main..HEAD'), '1', 'one squashed commit');
    assert.is(git(root, 'log', '-1', '--format=%s'), 'fix(logging): tune loki retention');
    assert.is(git(root, 'show', 'HEAD:infrastructure/logging/dev/settings.yaml'), configMap('dev-settings', 'three').trimEnd());
    assert.is(ks('logging').spec?.suspend, undefined, 'resumed as flux does: the field removed');
    assert.is(ks('logging').metadata.annotations?.['gitops-tasks/session'], undefined, 'our annotations removed');
    assert.ok(sim.get('v1', 'ConfigMap', 'logging', 'dev-settings'), 'still in the tree, so kept');
    assert.not.ok(existsSync(join(root, 'tmp/dev-workflow/session.json')));
    assert.is(git(root, 'for-each-ref', 'refs/dev-workflow'), '', 'the backup ref went with the session');
    assert.is(git(root, 'ls-remote', 'origin', 'refs/heads/dev/tune-loki-retention').split('\t')[0], git(root, 'rev-parse', 'HEAD'), 'pushed');
  } finally {
    await reset();
    removeDir(dir);
  }
});

test('refuses a dirty tree, a second session, commands without a session, and plaintext Secrets', async () => {
  const { dir, root } = workRepo();
  try {
    const none = await dev(root, 'checkpoint', 'x');
    assert.is(none.code, 1);
    assert.match(none.io.err(), /^✗ no dev-workflow session is active\n  next: start one: npx zx tasks\/dev-workflow.ts start/);
    writeFileSync(join(root, 'notes.txt'), 'wip\n');
    const dirty = await dev(root, 'start', 'dirty', '--kustomization', 'monitoring');
    assert.is(dirty.code, 1);
    assert.match(dirty.io.err(), /^✗ the work tree has uncommitted changes: notes.txt\n  next: commit them, or stash them \(git stash push -u, or pass --stash\), then start again\n/);
    assert.is(ks('monitoring').spec?.suspend, undefined, 'nothing was paused');
    const stashed = await dev(root, 'start', 'stashed work', '--kustomization', 'monitoring', '--stash');
    assert.is(stashed.code, 0, stashed.io.err());
    assert.match(stashed.io.out(), /Your uncommitted changes are in the stash: "dev-workflow: before dev\/stashed-work"/);
    const second = await dev(root, 'start', 'another', '--kustomization', 'logging');
    assert.is(second.code, 1);
    assert.match(second.io.err(), /\n✗ a dev-workflow session is already active: "stashed work" on dev\/stashed-work \(started \S+\)\n/);
    writeFileSync(join(root, 'infrastructure/secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2hunter2\n');
    const secret = await dev(root, 'checkpoint', 'with a secret');
    assert.is(secret.code, 1);
    assert.match(secret.io.err(), /✗ refusing to commit secrets in plain text\n  │ infrastructure\/secret.yaml holds Secret db in plain text\n  next: encrypt them with sops/);
    assert.not.match(secret.io.out() + secret.io.err(), /hunter2/);
    rmSync(join(root, 'infrastructure/secret.yaml'));
    await runKubectl(sim, ['patch', 'kustomization', 'infra-storage', '-n', 'flux-system', '--type=merge', '-p', JSON.stringify({
      metadata: { annotations: { 'gitops-tasks/suspended-by': 'Other Person', 'gitops-tasks/suspended-reason': 'disk migration', 'gitops-tasks/suspended-at': new Date(Date.now() - 3 * 3600_000).toISOString() } },
      spec: { suspend: true },
    })]);
    const status = await dev(root, 'status');
    assert.match(status.io.out(), /\nSuspended in sim and not by this session:\n  OBJECT +BY +SINCE +WHY\n  kustomization\/flux-system\/infra-storage +Other Person +3h 0m ago +disk migration\n/);
    assert.not.match(status.io.out(), /\n  kustomization\/flux-system\/monitoring /, 'the session\'s own suspension is not listed as foreign');
    // monitoring depends on infra-storage: the other person's pause must end for it to become Ready.
    await runKubectl(sim, ['patch', 'kustomization', 'infra-storage', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":null}}']);
    const aborted = await dev(root, 'abort');
    assert.is(aborted.code, 0, aborted.io.err());
    assert.is(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.is(ks('monitoring').spec?.suspend, undefined);
  } finally {
    await reset();
    removeDir(dir);
  }
});

test('objects suspended before start stay suspended; objects test created and the tree lacks are deleted', async () => {
  const { dir, root } = workRepo();
  // monitoring depends on logging; nothing depends on monitoring.
  await runKubectl(sim, ['patch', 'kustomization', 'monitoring', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  try {
    const started = await dev(root, 'start', 'logging work', '--kustomization', 'monitoring', '--kustomization', 'logging');
    assert.is(started.code, 0, started.io.err());
    assert.match(started.io.out(), /Already suspended before this session \(left as they are\): kustomization\/flux-system\/monitoring\n/);
    writeFileSync(join(root, 'scratch.yaml'), configMap('scratch-only', 'x'));
    assert.is((await dev(root, 'test', 'scratch.yaml')).code, 0);
    assert.ok(sim.get('v1', 'ConfigMap', 'logging', 'scratch-only'));
    rmSync(join(root, 'scratch.yaml'));
    const status = await dev(root, 'status');
    assert.match(status.io.out(), /\nCluster    context sim is cluster staging\n/, 'the identity the guard finds');
    assert.match(status.io.out(), /\nKept       kustomization\/flux-system\/monitoring \(suspended before the session; it leaves them so\)\n/);
    assert.match(status.io.out(), /\nCreated    configmap\/logging\/scratch-only \(by test;/);
    const finished = await dev(root, 'finish', 'chore: nothing to keep', '--yes');
    assert.is(finished.code, 0, finished.io.err());
    assert.is(sim.get('v1', 'ConfigMap', 'logging', 'scratch-only'), undefined, 'deleted');
    assert.is(ks('monitoring').spec.suspend, true, 'left suspended');
    assert.is(ks('logging').spec?.suspend, undefined, 'resumed');
  } finally {
    await reset();
    removeDir(dir);
  }
});

test('a failed suspend, apply or resume keeps the session, says what is paused, and the next command continues', async () => {
  const { dir, root } = workRepo();
  try {
    sim.faults.rejectWrites('kustomizations', 1, 500, 'etcdserver: request timed out');
    const failedStart = await dev(root, 'start', 'faulty', '--kustomization', 'logging');
    assert.is(failedStart.code, 1);
    assert.match(failedStart.io.err(), /etcdserver: request timed out/);
    assert.match(failedStart.io.err(), /What is left to do:\n  • the session has started: Flux may be partly paused — see `npx zx tasks\/dev-workflow.ts status`/);
    assert.equal(session(root).suspended, [{ kind: 'Kustomization', namespace: 'flux-system', name: 'logging', state: 'pending' }]);

    writeFileSync(join(root, 'a.yaml'), configMap('fault-a', 'a'));
    sim.faults.rejectWrites('configmaps', 1, 503, 'the server is currently unable to handle the request');
    const failedApply = await dev(root, 'test', 'a.yaml');
    assert.is(failedApply.code, 1);
    assert.match(failedApply.io.err(), /What is left to do:\n  • Flux is paused by dev-workflow session "faulty" \(context sim\): kustomization\/flux-system\/logging still suspended — resume with `npx zx tasks\/dev-workflow.ts resume`/);

    sim.faults.rejectWrites('kustomizations', 1, 500, 'etcdserver: leader changed');
    const failedResume = await dev(root, 'resume');
    assert.is(failedResume.code, 1);
    assert.match(failedResume.io.err(), /✗ resuming kustomization\/flux-system\/logging failed: flux resume kustomization logging failed \(exit 1\)/);
    assert.match(failedResume.io.err(), /run the same dev-workflow command again: it continues with what is still suspended/);
    assert.ok(existsSync(join(root, 'tmp/dev-workflow/session.json')));

    sim.faults.failObject('Kustomization/flux-system/logging', 'BuildFailed', 'kustomize build failed: bad patch');
    const notReady = await dev(root, 'resume', '--timeout', '3');
    assert.is(notReady.code, 1);
    assert.match(notReady.io.err(), /✗ resuming kustomization\/flux-system\/logging failed: timed out after 3s waiting for Kustomization logging to be ready: kustomize build failed: bad patch\n/);
    sim.faults.clear('Kustomization/flux-system/logging');

    const resumed = await dev(root, 'resume');
    assert.is(resumed.code, 0, resumed.io.err());
    assert.is(ks('logging').spec?.suspend, undefined);
    assert.equal(session(root).suspended.map((s: { state: string }) => s.state), ['resumed']);
    const warned = await dev(root, 'status');
    assert.not.match(warned.io.err(), /Flux is paused/);
    assert.is((await dev(root, 'abort', '--yes')).code, 0);
  } finally {
    await reset();
    removeDir(dir);
  }
});

test('a finish that fails at the resume keeps the squashed commit; finish again continues and squashes nothing twice', async () => {
  const { dir, root } = workRepo();
  try {
    assert.is((await dev(root, 'start', 'two step finish', '--kustomization', 'logging')).code, 0);
    writeFileSync(join(root, 'infrastructure/logging/x.yaml'), configMap('x', '1'));
    assert.is((await dev(root, 'checkpoint', 'one')).code, 0);
    writeFileSync(join(root, 'infrastructure/logging/x.yaml'), configMap('x', '2'));
    assert.is((await dev(root, 'checkpoint', 'two')).code, 0);
    sim.faults.rejectWrites('kustomizations', 1, 500, 'etcdserver: request timed out');
    const failed = await dev(root, 'finish', 'feat(logging): x');
    assert.is(failed.code, 1);
    assert.match(failed.io.err(), /✗ resuming kustomization\/flux-system\/logging failed: flux resume kustomization logging failed \(exit 1\)/);
    const squashed = git(root, 'rev-parse', 'HEAD');
    assert.is(git(root, 'rev-list', '--count', 'main..HEAD'), '1');
    assert.ok(git(root, 'for-each-ref', '--format=%(refname)', 'refs/dev-workflow').includes('refs/dev-workflow/backup/dev/two-step-finish'), 'the unsquashed branch is kept until the session ends');
    const again = await dev(root, 'finish', 'feat(logging): x');
    assert.is(again.code, 0, again.io.err());
    assert.is(git(root, 'rev-parse', 'HEAD'), squashed, 'not squashed twice');
    assert.is(ks('logging').spec?.suspend, undefined);
  } finally {
    await reset();
    removeDir(dir);
  }
});

test('the compare URL of a GitHub remote, for --pr without gh', async () => {
  const { compareUrl } = await import('../../scripts/dev-workflow/finish.ts');
  assert.is(compareUrl('git@github.com:acme/gitops.git', 'main', 'dev/x'), 'https://github.com/acme/gitops/compare/main...dev/x');
  assert.is(compareUrl('https://github.com/acme/gitops', 'main', 'dev/x'), 'https://github.com/acme/gitops/compare/main...dev/x');
  assert.is(compareUrl('/srv/git/gitops.git', 'main', 'dev/x'), undefined);
});

test('test refuses what Flux would not apply: an unresolved ${VAR} or SOPS ciphertext', async () => {
  const { dir, root } = workRepo();
  try {
    assert.is((await dev(root, 'start', 'vars', '--kustomization', 'monitoring')).code, 0);
    writeFileSync(join(root, 'v.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\n  namespace: logging\ndata:\n  host: ${CLUSTER_DOMAIN}\n');
    const unresolved = await dev(root, 'test', 'v.yaml');
    assert.is(unresolved.code, 1);
    assert.match(unresolved.io.err(), /✗ ConfigMap v in v.yaml still contains \$\{CLUSTER_DOMAIN\} after the build\n/);
    writeFileSync(join(root, 's.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: logging\ndata:\n  token: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\nsops:\n  version: 3.9.0\n');
    const sops = await dev(root, 'test', 's.yaml');
    assert.is(sops.code, 1);
    assert.match(sops.io.err(), /✗ Secret s in s.yaml is SOPS-encrypted: kubectl would apply the ciphertext\n/);
    assert.is(sim.get('v1', 'ConfigMap', 'logging', 'v'), undefined);
    assert.is((await dev(root, 'abort', '--yes')).code, 0);
  } finally {
    await reset();
    removeDir(dir);
  }
});

test.run();

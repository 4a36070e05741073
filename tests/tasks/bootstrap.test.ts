// bootstrap end to end: the real kubectl against the simulated cluster, a fake `flux` on PATH that
// records its arguments and whether it got a token (and, for bootstrap, creates the flux-system
// objects as flux would), and a temporary copy of this repository.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, runKubectl, type SimCluster } from '../sim/index.ts';
import { captureIo } from '../helpers/io.ts';
import { REPO } from '../helpers/run-task-process.ts';
import { removeDir, testdir } from '../helpers/testdir.ts';
import { runTask } from '../../scripts/task/run-task.ts';
import { bootstrapArgs } from '../../scripts/bootstrap/bootstrap.ts';
import { githubRepository, sameRepository } from '../../scripts/bootstrap/repository.ts';
import task from '../../tasks/bootstrap.ts';

const TOKEN = 'ghp_bootstrapTestToken1234567890';

// A fake flux: logs each call and whether GITHUB_TOKEN was set, passes `check --pre`, and for
// `bootstrap github` applies the flux-system GitRepository and Kustomization for --path.
const FAKE_FLUX = `#!/bin/sh
log="$FAKE_FLUX_LOG"
echo "args: $*" >> "$log"
if [ -n "$GITHUB_TOKEN" ]; then echo "token: set" >> "$log"; else echo "token: unset" >> "$log"; fi
context=""; path=""; owner=""; repository=""
for arg in "$@"; do
  case "$arg" in
    --context=*) context="\${arg#--context=}" ;;
    --path=*) path="\${arg#--path=}" ;;
    --owner=*) owner="\${arg#--owner=}" ;;
    --repository=*) repository="\${arg#--repository=}" ;;
  esac
done
case "$1" in
  check)
    echo "► checking prerequisites" >&2
    if [ -n "$FAKE_FLUX_OLD_KUBERNETES" ]; then echo "✗ Kubernetes 1.32.4 <1.33.0 does not match >=1.33.0-0" >&2; exit 1; fi
    echo "✔ prerequisites checks passed" >&2 ;;
  bootstrap)
    echo "► connecting to github.com" >&2
    kubectl --context "$context" apply -f - >&2 <<YAML || exit 1
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m0s, ref: {branch: main}, url: "https://github.com/$owner/$repository.git"}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m0s, path: "$path", prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
YAML
    echo "✔ bootstrap finished" >&2 ;;
esac
`;

type Env = { root: string; dir: string; log: string; env: Record<string, string> };

function setup(sim: SimCluster, options: { token: boolean } = { token: true }): Env {
  const dir = testdir();
  const root = join(dir, 'repo');
  for (const tree of ['clusters', 'infrastructure']) cpSync(join(REPO, tree), join(root, tree), { recursive: true });
  writeFileSync(join(dir, 'flux'), FAKE_FLUX);
  chmodSync(join(dir, 'flux'), 0o755);
  const log = join(dir, 'flux.log');
  writeFileSync(log, '');
  const env: Record<string, string> = { PATH: `${dir}:${process.env.PATH}`, KUBECONFIG: sim.kubeconfig, HOME: sim.home, FAKE_FLUX_LOG: log };
  if (options.token) env.GITHUB_TOKEN = TOKEN;
  return { root, dir, log, env };
}

async function bootstrap(e: Env, ...args: string[]) {
  const io = captureIo({ cwd: e.root, env: e.env });
  const code = await runTask(task, [...args, ...(args.includes('--timeout') ? [] : ['--timeout', '20'])], io);
  return { code, out: io.out(), err: io.err() };
}

// Everything the run printed and logged, to look for the token in.
function everything(e: Env, run: { out: string; err: string }): string {
  const logs = join(e.root, 'tmp', 'logs');
  const logText = existsSync(logs) ? readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('\n') : '';
  return run.out + run.err + logText;
}

test('reads the GitHub repository of a flux-system GitRepository URL', () => {
  assert.equal(githubRepository('ssh://git@github.com/OWNER/gitops-tasks'), { owner: 'OWNER', repository: 'gitops-tasks' });
  assert.equal(githubRepository('https://github.com/acme/fleet.git'), { owner: 'acme', repository: 'fleet' });
  assert.ok(sameRepository('git@github.com:Acme/Fleet.git', { owner: 'acme', repository: 'fleet' }));
  assert.not.ok(sameRepository('https://gitlab.com/acme/fleet', { owner: 'acme', repository: 'fleet' }));
});

test('a fresh cluster: preflight, flux bootstrap github with the settings, then waits until healthy; a re-run only checks', async () => {
  const sim = await startSimCluster({ reconcileDelayMs: 10 });
  const e = setup(sim);
  try {
    const first = await bootstrap(e, 'staging', '--context', 'sim');
    assert.is(first.code, 0, first.err);
    const calls = readFileSync(e.log, 'utf8');
    assert.is(calls, [
      'args: check --pre --context=sim', 'token: set',
      'args: bootstrap github --owner=OWNER --repository=gitops-tasks --branch=main --path=./clusters/staging --token-auth --context=sim', 'token: set', '',
    ].join('\n'));
    assert.match(first.err, /\$ flux bootstrap github --owner=OWNER --repository=gitops-tasks --branch=main --path=.\/clusters\/staging --token-auth --context=sim\n/);
    assert.match(first.out, /^Cluster staging bootstrapped from OWNER\/gitops-tasks \(context sim\); Flux is healthy\.\n$/);
    assert.not.match(everything(e, first), new RegExp(TOKEN));

    writeFileSync(e.log, '');
    const again = await bootstrap(e, 'staging', '--context', 'sim');
    assert.is(again.code, 0, again.err);
    assert.match(again.err, /cluster staging is already bootstrapped from OWNER\/gitops-tasks at .\/clusters\/staging: checking its health\n/);
    assert.is(readFileSync(e.log, 'utf8'), 'args: check --pre --context=sim\ntoken: set\n', 'flux bootstrap was not run again');
    assert.match(again.out, /^Cluster staging \(context sim\) is bootstrapped and healthy; nothing to do\.\n$/);
  } finally {
    await sim.stop();
    removeDir(e.dir);
  }
});

test('without GITHUB_TOKEN a fresh cluster is refused before flux bootstrap runs', async () => {
  const sim = await startSimCluster({ reconcileDelayMs: 10 });
  const e = setup(sim, { token: false });
  try {
    const run = await bootstrap(e, 'staging', '--context', 'sim');
    assert.is(run.code, 1);
    assert.match(run.err, /✗ GITHUB_TOKEN is not set: flux bootstrap github needs a GitHub token with repo rights\n  next: export GITHUB_TOKEN=/);
    assert.not.match(readFileSync(e.log, 'utf8'), /bootstrap/);
  } finally {
    await sim.stop();
    removeDir(e.dir);
  }
});

test('a context that is another cluster, or a cluster bootstrapped from another repository, is refused with nothing changed', async () => {
  const production = await startSimCluster({ from: [join(REPO, 'clusters/production')], reconcileDelayMs: 10 });
  const e = setup(production);
  try {
    const wrong = await bootstrap(e, 'staging', '--context', 'sim');
    assert.is(wrong.code, 1);
    assert.match(wrong.err, /✗ context sim is cluster production, not staging: nothing was changed\n/);
    assert.not.match(readFileSync(e.log, 'utf8'), /bootstrap/);
    await runKubectl(production, ['patch', 'gitrepository', 'flux-system', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"url":"https://github.com/someone/else.git"}}']);
    const elsewhere = await bootstrap(e, 'production', '--context', 'sim');
    assert.is(elsewhere.code, 1);
    assert.match(elsewhere.err, /✗ cluster production is already bootstrapped from another repository: someone\/else\n  │ settings clusters\/production\/settings.yaml say OWNER\/gitops-tasks; the flux-system GitRepository syncs https:\/\/github.com\/someone\/else.git\n/);
    assert.not.match(readFileSync(e.log, 'utf8'), /args: bootstrap/);
  } finally {
    await production.stop();
    removeDir(e.dir);
  }
});

test('--dry-run prints the plan with the token masked and changes nothing', async () => {
  const sim = await startSimCluster({ reconcileDelayMs: 10 });
  const e = setup(sim);
  try {
    const run = await bootstrap(e, 'staging', '--context', 'sim', '--dry-run');
    assert.is(run.code, 0, run.err);
    assert.match(run.out, /would run: flux bootstrap github --owner=OWNER --repository=gitops-tasks --branch=main --path=.\/clusters\/staging --token-auth --context=sim\n/);
    assert.is(readFileSync(e.log, 'utf8'), 'args: check --pre --context=sim\ntoken: set\n');
    assert.is(sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'flux-system'), undefined);
    assert.not.match(everything(e, run), new RegExp(TOKEN));
  } finally {
    await sim.stop();
    removeDir(e.dir);
  }
});

test('flux check --pre refusing the Kubernetes version stops before bootstrap, with the reason', async () => {
  const sim = await startSimCluster({ reconcileDelayMs: 10 });
  const e = setup(sim);
  e.env.FAKE_FLUX_OLD_KUBERNETES = '1';
  try {
    const run = await bootstrap(e, 'staging', '--context', 'sim');
    assert.is(run.code, 1);
    assert.match(run.err, /✗ flux check --pre failed \(exit 1\)\n  command: flux check --pre --context=sim\n(  │ .*\n)*  │ ✗ Kubernetes 1.32.4 <1.33.0 does not match >=1.33.0-0\n  next: flux requires Kubernetes 1.33 or newer/);
    assert.not.match(readFileSync(e.log, 'utf8'), /args: bootstrap/);
  } finally {
    await sim.stop();
    removeDir(e.dir);
  }
});

test('controllers that do not become ready fail the wait with their last log lines', async () => {
  const sim = await startSimCluster({ reconcileDelayMs: 10 });
  sim.faults.crashLoop('flux-system', 'kustomize-controller');
  const e = setup(sim);
  try {
    const run = await bootstrap(e, 'staging', '--context', 'sim', '--timeout', '3');
    assert.is(run.code, 1);
    assert.match(run.err, /rollout status deployment\/kustomize-controller/);
    assert.match(run.err, /  │ source-controller:\n  │   /);
    assert.match(run.err, /  │ kustomize-controller:\n/);
  } finally {
    await sim.stop();
    removeDir(e.dir);
  }
});

test('the flux arguments follow the settings: --personal only for a personal owner', () => {
  const settings = { name: 'lab', file: 'clusters/lab/settings.yaml', context: 'lab', tier: 'staging' as const, github: { owner: 'me', repository: 'lab', branch: 'trunk', personal: true } };
  assert.equal(bootstrapArgs(settings), ['bootstrap', 'github', '--owner=me', '--repository=lab', '--branch=trunk', '--path=./clusters/lab', '--personal', '--token-auth']);
});

test.run();

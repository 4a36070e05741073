// The status task run as users run it, against two simulated clusters (staging and production,
// each reached by the context its settings name): healthy and unhealthy clusters (failing
// Kustomization, stuck HelmReleases, a crash-looping pod, a foreign and an own suspension), JSON,
// the Mermaid graph, one line per cluster, a context that is another cluster, and usage errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKubectl, startSimCluster, type SimCluster } from '../sim/index.ts';
import { waitFor } from '../sim/git-fixture.ts';
import { stuckHelmRelease } from '../sim/helm-stuck.ts';

const HR = 'helm.toolkit.fluxcd.io/v2';
import { REPO, runTaskProcess } from '../helpers/run-task-process.ts';
import { startPty } from '../helpers/pty.ts';
import { removeDir, testdir } from '../helpers/testdir.ts';
import { SESSION, SUSPENDED_AT, SUSPENDED_BY, SUSPENDED_REASON } from '../../scripts/cluster/annotations.ts';

const settings = (context: string, tier: string) => `context: ${context}\ntier: ${tier}\ngithub:\n  owner: acme\n  repository: fleet\n  branch: main\n  personal: false\n`;

let root: string;
let staging: SimCluster;
let production: SimCluster;

// Flux objects of a cluster whose flux-system Kustomization syncs ./clusters/<cluster>.
function fluxObjects(cluster: string) {
  const ks = (name: string, path: string, dependsOn: string[] = []) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...(dependsOn.length ? { dependsOn: dependsOn.map((name) => ({ name })) } : {}) },
  });
  return [
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { interval: '1m', url: 'ssh://git@github.com/acme/fleet', ref: { branch: 'main' } } },
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'podinfo', namespace: 'flux-system' }, spec: { interval: '1h', url: 'https://stefanprodan.github.io/podinfo' } },
    ks('flux-system', `./clusters/${cluster}`),
    ks('infra', './infra'),
    ks('apps', './apps', ['infra']),
    ks('monitoring', './monitoring', ['infra', 'apps']),
    {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'monitoring' },
      spec: { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } },
    },
  ];
}

const allReady = (sim: SimCluster) => () =>
  ['source.toolkit.fluxcd.io/v1 GitRepository', 'kustomize.toolkit.fluxcd.io/v1 Kustomization', 'helm.toolkit.fluxcd.io/v2 HelmRelease']
    .flatMap((t) => sim.list(t.split(' ')[0], t.split(' ')[1]))
    .every((o) => o.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));

test.before(async () => {
  staging = await startSimCluster({ reconcileDelayMs: 10 });
  production = await startSimCluster({ reconcileDelayMs: 10 });
  for (const o of fluxObjects('staging')) staging.put(o);
  for (const o of fluxObjects('production')) production.put(o);
  await waitFor('staging to be ready', allReady(staging));
  await waitFor('production to be ready', allReady(production));
  root = testdir({
    'clusters/staging/settings.yaml': settings('kind-staging', 'staging'),
    'clusters/production/settings.yaml': settings('kind-production', 'production'),
  });
  const cluster = (name: string, url: string) => `- name: ${name}\n  cluster:\n    server: ${url}\n`;
  const context = (name: string) => `- name: ${name}\n  context:\n    cluster: ${name}\n    user: sim\n`;
  writeFileSync(join(root, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'clusters:', cluster('kind-staging', staging.url) + cluster('kind-production', production.url),
    'contexts:', context('kind-staging') + context('kind-production'), 'current-context: kind-production', 'users:', '- name: sim\n  user: {}', '',
  ].join('\n'));
});
test.after(async () => {
  await staging?.stop();
  await production?.stop();
  if (root) removeDir(root);
});

const status = (args: string[]) => runTaskProcess('status', args, { root, env: { KUBECONFIG: join(root, 'kubeconfig') } });
// Ages and durations depend on when the test runs: replaced by <t>, and the column padding they
// change collapsed (the padding itself is asserted by the other tests).
const ages = (text: string) => text.replace(/\b\d+(?:s|m(?:\d+s)?|h(?:\d+m)?|d(?:\d+h)?)\b/g, '<t>').replace(/ {2,}/g, '  ');
const sha = (sim: SimCluster) => sim.get('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system', 'flux-system').status.artifact.revision.slice(10, 18);
const pad = (rows: string[][]) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
};

test('a healthy cluster: its identity, one verdict line, the revision; exit 0, the two reads echoed', async () => {
  const result = await status(['staging']);
  assert.is(result.stdout, [
    'context kind-staging is cluster staging',
    '✔ staging is healthy: 4 Kustomizations, 1 HelmRelease, 2 sources Ready; 5 pods running',
    '',
    `revision: applied main@sha1:${sha(staging)}; no local origin/main to compare with`,
    '',
  ].join('\n'));
  assert.equal(result.stderr.split('\n').filter((l) => l.startsWith('$ ')).sort(), [
    '$ kubectl --context kind-staging get events -A --field-selector type=Warning -o json',
    '$ kubectl --context kind-staging get kustomizations.kustomize.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io,ocirepositories.source.toolkit.fluxcd.io,helmrepositories.source.toolkit.fluxcd.io,pods -A -o json',
  ]);
  assert.is(result.code, 0);
});

test('a context that is another cluster is named, nothing else is shown, exit 1', async () => {
  const result = await status(['production', '--context', 'kind-staging']);
  assert.is(result.stdout, [
    'context kind-staging is cluster staging',
    '✗ context kind-staging is not cluster production: its status is not shown (pass the context of production with --context, or fix context: in clusters/production/settings.yaml)',
    '',
  ].join('\n'));
  assert.is(result.code, 1);
});

test('several clusters, one line each, each through its own context (never the current one)', async () => {
  const result = await status(['--all']);
  assert.is(result.stdout, pad([
    ['CLUSTER', 'CONTEXT', 'HEALTH', 'PROBLEMS', 'REVISION'],
    ['production', 'kind-production', 'healthy', '-', `applied main@sha1:${sha(production)}; no local origin/main to compare with`],
    ['staging', 'kind-staging', 'healthy', '-', `applied main@sha1:${sha(staging)}; no local origin/main to compare with`],
  ]).join('\n') + '\n');
  assert.is(result.code, 0);
});

test('at a terminal, a missing cluster is asked for (the clusters and "all clusters")', async () => {
  const pty = startPty([`${REPO}node_modules/.bin/zx`, `${REPO}tasks/status.ts`], {
    cwd: root, env: { PATH: process.env.PATH, HOME: root, GITOPS_ROOT: root, KUBECONFIG: join(root, 'kubeconfig'), NO_COLOR: '1' },
  });
  try {
    await pty.waitFor(/which cluster\?/);
    assert.match(pty.screen(), /production\n.*staging\n.*all clusters/);
    pty.keys('Down');
    pty.keys('Enter');
    assert.is(await pty.exitCode(30_000), 0);
    assert.match(pty.screen(), 'context kind-staging is cluster staging\n✔ staging is healthy');
  } finally {
    pty.close();
  }
});

test('an unhealthy cluster: a failing Kustomization, stuck HelmReleases, a crash-looping pod, suspensions and warnings; exit 1', async () => {
  staging.faults.failObject('Kustomization/flux-system/apps', 'BuildFailed', "kustomize build failed: accumulating resources: open deployment.yaml: no such file or directory");
  for (const [name, version] of [['loki', '6.30.1'], ['tempo', '1.21.1']]) {
    staging.put({
      apiVersion: HR, kind: 'HelmRelease', metadata: { name, namespace: 'monitoring' },
      spec: { interval: '10m', chart: { spec: { chart: name, version, sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } },
    });
  }
  await waitFor('loki and tempo to be installed', () => staging.get(HR, 'HelmRelease', 'monitoring', 'loki')?.status?.history && staging.get(HR, 'HelmRelease', 'monitoring', 'tempo')?.status?.history);
  staging.put(stuckHelmRelease(staging.get(HR, 'HelmRelease', 'monitoring', 'loki'), 'operation-in-progress'));
  staging.put(stuckHelmRelease(staging.get(HR, 'HelmRelease', 'monitoring', 'podinfo'), 'retries-exhausted'));
  staging.put(stuckHelmRelease(staging.get(HR, 'HelmRelease', 'monitoring', 'tempo'), 'remediation-failed'));
  staging.faults.crashLoop('logging', 'grafana');
  await runKubectl(staging, ['patch', 'kustomization', 'infra', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  const annotations = { [SUSPENDED_BY]: 'alice', [SUSPENDED_REASON]: 'trying a new dashboard', [SUSPENDED_AT]: '2026-01-05T10:00:00Z', [SESSION]: 'dev-7' };
  await runKubectl(staging, ['patch', 'kustomization', 'monitoring', '-n', 'flux-system', '--type=merge', '-p', JSON.stringify({ metadata: { annotations }, spec: { suspend: true } })]);
  staging.put({
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'grafana.1', namespace: 'logging' },
    involvedObject: { kind: 'Pod', name: 'grafana-0', namespace: 'logging' }, reason: 'BackOff', message: 'Back-off restarting failed container grafana',
    type: 'Warning', count: 3, lastTimestamp: '2026-01-05T10:01:00Z', firstTimestamp: '2026-01-05T10:00:00Z',
  });
  await waitFor('the failures to show', () => staging.get('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'monitoring', 'podinfo').status.conditions.some((c: { type: string }) => c.type === 'Stalled')
    && staging.get('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'monitoring', 'loki').status?.conditions?.some((c: { reason: string }) => c.reason === 'UpgradeFailed')
    && staging.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps').status.conditions.some((c: { reason: string }) => c.reason === 'BuildFailed'));
  const pod = staging.list('v1', 'Pod', 'logging')[0].metadata.name;
  const result = await status(['staging']);
  assert.is(ages(result.stdout), ages([
    'context kind-staging is cluster staging',
    '✗ staging is not healthy: 1 not Ready, 2 suspended, 3 HelmReleases stuck, 1 pod not running',
    '',
    'Flux objects not Ready:',
    ...pad([
      ['KIND', 'NAME', 'READY', 'REASON', 'FOR', 'MESSAGE'],
      ['Kustomization', 'flux-system/apps', 'False', 'BuildFailed', '0s', 'kustomize build failed: accumulating resources: open deployment.yaml: no such file or directory'],
    ]),
    '',
    'Suspended:',
    ...pad([
      ['KIND', 'NAME', 'SINCE', 'BY', 'WHY'],
      ['Kustomization', 'flux-system/infra', '-', 'unknown', 'not suspended by the tasks (no gitops-tasks/ annotations)'],
      ['Kustomization', 'flux-system/monitoring', '2026-01-05T10:00:00Z (0s)', 'alice', 'trying a new dashboard [session dev-7]'],
    ]),
    '',
    'HelmReleases stuck:',
    ...pad([
      ['NAME', 'STATE', 'FOR', 'MESSAGE'],
      ['monitoring/loki', 'another operation in progress', '0s', 'Helm upgrade failed for release monitoring/loki with chart loki@6.30.1: another operation (install/upgrade/rollback) is in progress'],
      ['monitoring/podinfo', 'retries exhausted', '0s', 'Failed to upgrade after 1 attempt(s): Helm upgrade failed for release monitoring/podinfo with chart podinfo@6.7.1: context deadline exceeded'],
      ['monitoring/tempo', 'remediation failed', '0s', 'Helm rollback to previous release monitoring/tempo.v1 with chart tempo@1.21.1 failed: context deadline exceeded'],
    ]),
    '  next for monitoring/loki: helm-controller (v0.37+) unlocks a pending release on its next run: flux reconcile helmrelease loki -n monitoring; if it stays locked, `helm history loki -n monitoring` shows the pending-* revision to roll back',
    '  next for monitoring/podinfo: fix the cause in Git, then reset the failure count: flux reconcile helmrelease podinfo -n monitoring --reset',
    '  next for monitoring/tempo: read `helm history tempo -n monitoring`, fix the release in Git, then force one upgrade: flux reconcile helmrelease tempo -n monitoring --force',
    '',
    'Pods not running:',
    ...pad([
      ['NAME', 'STATE', 'RESTARTS', 'READY', 'AGE'],
      [`logging/${pod}`, 'CrashLoopBackOff', '8', '0/2', '0s'],
    ]),
    '',
    'Last warning events:',
    ...pad([
      ['AGE', 'NAMESPACE', 'OBJECT', 'REASON', 'MESSAGE'],
      ['0s', 'logging', 'Pod/grafana-0', 'BackOff', 'Back-off restarting failed container grafana (×3)'],
    ]),
    '',
    `revision: applied main@sha1:${sha(staging)}; no local origin/main to compare with`,
    '',
  ].join('\n')));
  assert.is(result.code, 1);
});

test('--json: the same facts as data, with the verdict per cluster and overall', async () => {
  const result = await status(['staging', '--json']);
  const parsed = JSON.parse(result.stdout);
  assert.is(parsed.version, 1);
  assert.is(parsed.healthy, false);
  const [cluster] = parsed.clusters;
  assert.equal([cluster.cluster, cluster.context, cluster.identityText, cluster.isCluster, cluster.healthy], ['staging', 'kind-staging', 'context kind-staging is cluster staging', true, false]);
  assert.equal(cluster.notReady.map((o: { kind: string; name: string; reason: string }) => `${o.kind} ${o.name} ${o.reason}`), ['Kustomization apps BuildFailed']);
  assert.equal(cluster.suspended.map((o: { name: string; ours: boolean; by?: string }) => [o.name, o.ours, o.by ?? null]), [['infra', false, null], ['monitoring', true, 'alice']]);
  assert.equal(cluster.stuckReleases.map((o: { name: string; state: string }) => [o.name, o.state]), [['loki', 'operation-in-progress'], ['podinfo', 'retries-exhausted'], ['tempo', 'remediation-failed']]);
  assert.equal(cluster.pods.map((p: { state: string; restarts: number }) => [p.state, p.restarts]), [['CrashLoopBackOff', 8]]);
  assert.equal(cluster.warnings.map((w: { object: string; reason: string; count: number }) => [w.object, w.reason, w.count]), [['Pod/grafana-0', 'BackOff', 3]]);
  assert.equal(cluster.revision, { applied: `main@sha1:${staging.get('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system', 'flux-system').status.artifact.revision.slice(10)}`, branch: 'main', state: 'no-origin' });
  assert.is(result.code, 1);
});

test('--graph: the dependsOn graph as a Mermaid flowchart with each live state', async () => {
  const result = await status(['staging', '--graph']);
  assert.is(result.stdout, [
    '```mermaid',
    'flowchart LR',
    '  %% cluster staging, context kind-staging: dependsOn, dependencies first',
    '  flux_system_apps["apps<br/>not Ready"]:::failed',
    '  flux_system_flux_system["flux-system<br/>Ready"]:::ready',
    '  flux_system_infra["infra<br/>suspended"]:::suspended',
    '  flux_system_monitoring["monitoring<br/>suspended"]:::suspended',
    '  flux_system_infra --> flux_system_apps',
    '  flux_system_apps --> flux_system_monitoring',
    '  flux_system_infra --> flux_system_monitoring',
    '  classDef ready fill:#d9f2d9,stroke:#2e7d32',
    '  classDef failed fill:#f8d7da,stroke:#c62828',
    '  classDef progressing fill:#fff3cd,stroke:#b7791f',
    '  classDef suspended fill:#e2e3e5,stroke:#6c757d,stroke-dasharray: 4 2',
    '  classDef missing fill:#ffffff,stroke:#c62828,stroke-dasharray: 2 2',
    '```',
    '',
  ].join('\n'));
  assert.is(result.code, 1);
});

test('several clusters with one unhealthy: its problems on its line, exit 1', async () => {
  const result = await status(['staging', 'production']);
  assert.is(result.stdout, pad([
    ['CLUSTER', 'CONTEXT', 'HEALTH', 'PROBLEMS', 'REVISION'],
    ['staging', 'kind-staging', 'not healthy', '1 not Ready, 2 suspended, 3 HelmReleases stuck, 1 pod not running', `applied main@sha1:${sha(staging)}; no local origin/main to compare with`],
    ['production', 'kind-production', 'healthy', '-', `applied main@sha1:${sha(production)}; no local origin/main to compare with`],
  ]).join('\n') + '\n');
  assert.is(result.code, 1);
});

test('usage: no cluster without a terminal, --context with several clusters, an unknown cluster', async () => {
  const none = await status([]);
  assert.match(none.stderr, 'error: name a cluster (production, staging) or pass --all');
  assert.is(none.code, 2);
  const both = await status(['--all', '--context', 'kind-staging']);
  assert.match(both.stderr, "error: --context names one cluster's context; 2 clusters were asked for (each uses the context of its clusters/<name>/settings.yaml)");
  assert.is(both.code, 2);
  const unknown = await status(['qa']);
  assert.match(unknown.stderr, '✗ unknown cluster "qa": there is no folder clusters/qa\n  next: clusters are the folders of clusters/ (production, staging)');
  assert.is(unknown.code, 1);
});

test.run();

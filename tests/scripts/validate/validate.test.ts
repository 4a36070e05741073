import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BASE, brief, configMap, fluxKustomization, helmRelease, kustomization, SETTINGS, validateTree } from './fixture.ts';

const APPS = 'clusters/dev/apps.yaml';
const appsWith = (...spec: string[]) => fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', ...spec);

test('a valid tree has no findings and exits 0', async () => {
  const result = await validateTree();
  assert.equal(result.findings, []);
  assert.is(result.exitCode, 0);
  assert.equal({ ...result.summary, durationMs: 0 }, { clusters: 1, kustomizations: 3, cached: 0, objects: 8, errors: 0, warnings: 0, withoutSchema: {}, withoutSchemaObjects: [], durationMs: 0 });
});

test('reports a duplicate key with its file and line, and does not build what reads the file', async () => {
  const result = await validateTree({ 'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "1"', 'a: "2"') });
  assert.equal(brief(result.findings), [`warning build/skipped ${APPS}:21`, 'error yaml/duplicate-key infrastructure/apps/config.yaml:8']);
  assert.is(result.findings[1].message, 'duplicate key "a" in data (column 3): Map keys must be unique');
  assert.is(result.exitCode, 1);
});

test('reports a YAML syntax error', async () => {
  const result = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n' });
  assert.equal(result.findings.map((f) => [f.rule, f.line]), [['build/skipped', 21], ['yaml/syntax', 3]]);
});

test('a Kustomization not built because a file it reads has YAML errors says so at its path: its other checks (a plain Secret) did not run', async () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: apps\nstringData:\n  token: hunter2\n';
  const files = { 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'secret.yaml'), 'infrastructure/apps/secret.yaml': secret };
  const broken = await validateTree({ ...files, 'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "1"', 'a: "2"') });
  assert.equal(broken.findings.filter((f) => f.check === 'build'), [{
    severity: 'warning', check: 'build', rule: 'build/skipped', file: APPS, line: 21, object: 'Kustomization flux-system/apps', kustomization: 'flux-system/apps', clusters: ['dev'],
    message: 'not built: infrastructure/apps/config.yaml has YAML errors; its objects are not checked',
    hint: 'fix the YAML errors, then run validate again',
  }]);
  assert.equal(brief(broken.findings), [`warning build/skipped ${APPS}:21`, 'error yaml/duplicate-key infrastructure/apps/config.yaml:8']);
  // Several broken files: the first is named.
  const several = await validateTree({ ...files, 'infrastructure/apps/secret.yaml': secret + 'data: [\n', 'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "1"', 'a: "2"') });
  assert.equal(several.findings.filter((f) => f.check === 'build').map((f) => f.message), ['not built: infrastructure/apps/config.yaml and 1 more have YAML errors; its objects are not checked']);
  // Once the YAML is fixed, the build runs and the Secret is found.
  const fixed = await validateTree(files);
  assert.equal(brief(fixed.findings), ['error policy/plain-secret infrastructure/apps/secret.yaml:1']);
});

test('a failing build shows kustomize\'s message at the Kustomization\'s path', async () => {
  const result = await validateTree({ 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'missing.yaml') });
  assert.equal(brief(result.findings), [`error build/failed ${APPS}:21`]);
  const [finding] = result.findings;
  assert.is(finding.object, 'Kustomization flux-system/apps');
  assert.is(finding.message, 'kustomize build of infrastructure/apps failed: infrastructure/apps/kustomization.yaml: resource missing.yaml: open infrastructure/apps/missing.yaml: no such file or directory');
});

test('reports a dependsOn target that does not exist', async () => {
  const result = await validateTree({ [APPS]: fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: source') });
  assert.equal(brief(result.findings), [`error graph/missing-dependency ${APPS}:27`]);
  assert.is(result.findings[0].message, 'dependsOn flux-system/source: no such Kustomization in cluster dev');
});

test('reports a dependsOn cycle', async () => {
  const result = await validateTree({
    [APPS]: fluxKustomization('sources', './infrastructure/sources', 'dependsOn:', '  - name: apps') + '---\n' + fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources'),
  });
  assert.equal(brief(result.findings), [`error graph/dependency-cycle ${APPS}:14`]);
  assert.is(result.findings[0].message, 'dependsOn cycle: flux-system/sources -> flux-system/apps -> flux-system/sources; none of them will ever be applied');
});

test('reports a path that does not exist and a sourceRef to a missing source', async () => {
  const result = await validateTree({
    [APPS]: fluxKustomization('sources', './infrastructure/nothing') + '---\n' + fluxKustomization('apps', './infrastructure/apps').replace('name: flux-system\n', 'name: other\n'),
  });
  // apps reads from another source, so it is not built here and its files are applied by nothing in this repository.
  assert.equal(brief(result.findings), [
    `error graph/missing-path ${APPS}:8`,
    `error graph/missing-source ${APPS}:23`,
    'warning graph/unreferenced-file infrastructure/apps/config.yaml:1',
    'warning graph/unreferenced-file infrastructure/apps/namespace.yaml:1',
    'warning graph/unreferenced-file infrastructure/apps/release.yaml:1',
    'warning graph/unreferenced-file infrastructure/sources/podinfo.yaml:1',
  ]);
  assert.is(result.findings[1].message, 'sourceRef GitRepository flux-system/other: no such source in cluster dev');
});

test('reports a HelmRelease whose chart source does not exist', async () => {
  const result = await validateTree({ 'infrastructure/apps/release.yaml': helmRelease('6.5.0').replace('name: podinfo\n        namespace', 'name: podinf\n        namespace') });
  assert.equal(brief(result.findings), ['error graph/missing-source infrastructure/apps/release.yaml:12']);
  assert.is(result.findings[0].message, 'sourceRef HelmRepository flux-system/podinf: no such source in cluster dev');
});

test('reports an object that two Kustomizations define, and a namePrefix keeps them apart', async () => {
  const twice = { 'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', '../apps/config.yaml') };
  const result = await validateTree(twice);
  assert.equal(brief(result.findings), ['error graph/duplicate-object infrastructure/apps/config.yaml:1']);
  assert.is(result.findings[0].message, 'ConfigMap apps/settings is defined by Kustomization flux-system/apps (here, infrastructure/apps/config.yaml:1) and by Kustomization flux-system/sources (infrastructure/apps/config.yaml:1): the two fight over it');
  const prefixed = await validateTree({ ...twice, [APPS]: appsWith('namePrefix: p-') });
  assert.equal(prefixed.findings, []);
});

test('postBuild: substitutes from substitute and substituteFrom ConfigMaps, reports what stays unresolved', async () => {
  const withVars = { 'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "${A}"', 'b: "${B}"', 'c: "${C:=three}"', 'd: "$${D}"') };
  const unresolved = await validateTree({ ...withVars, [APPS]: appsWith('postBuild:', '  substitute:', '    A: one') });
  assert.equal(brief(unresolved.findings), ['error graph/unresolved-variable infrastructure/apps/config.yaml:8']);
  assert.is(unresolved.findings[0].message, "${B} in data.b has no value in Kustomization flux-system/apps's postBuild: Flux would substitute an empty string");
  const resolved = await validateTree({
    ...withVars,
    'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'vars.yaml'),
    'infrastructure/sources/vars.yaml': configMap('vars', 'flux-system', 'B: two'),
    [APPS]: appsWith('postBuild:', '  substitute:', '    A: one', '  substituteFrom:', '    - kind: ConfigMap', '      name: vars'),
  });
  assert.equal(resolved.findings, []);
});

test('postBuild: a Secret source is a warning and turns unresolved variables into warnings', async () => {
  const result = await validateTree({
    'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "${A}"'),
    [APPS]: appsWith('postBuild:', '  substituteFrom:', '    - kind: Secret', '      name: vars'),
  });
  assert.equal(brief(result.findings), [`warning graph/secret-substitution ${APPS}:30`, 'warning graph/unresolved-variable infrastructure/apps/config.yaml:7']);
  assert.is(result.exitCode, 0);
  const strict = await validateTree({
    'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "${A}"'),
    [APPS]: appsWith('postBuild:', '  substituteFrom:', '    - kind: Secret', '      name: vars'),
  }, { strict: true });
  assert.is(strict.exitCode, 1);
});

test('postBuild: a missing substituteFrom ConfigMap is an error unless optional; substitute: disabled is honoured', async () => {
  const missing = await validateTree({ [APPS]: appsWith('postBuild:', '  substituteFrom:', '    - kind: ConfigMap', '      name: vars') });
  assert.equal(brief(missing.findings), [`error graph/missing-substitute-source ${APPS}:30`]);
  const disabled = await validateTree({
    'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "${A}"').replace('metadata:\n', 'metadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n'),
    [APPS]: appsWith('postBuild:', '  substituteFrom:', '    - kind: ConfigMap', '      name: vars', '      optional: true'),
  });
  assert.equal(disabled.findings, []);
});

test('policy: chart versions must be exact', async () => {
  const range = await validateTree({ 'infrastructure/apps/release.yaml': helmRelease('6.x') });
  assert.equal(brief(range.findings), ['error policy/chart-version-range infrastructure/apps/release.yaml:11']);
  assert.is(range.findings[0].message, 'chart version "6.x" is not an exact version');
  assert.is(range.findings[0].object, 'HelmRelease apps/podinfo');
  const missing = await validateTree({ 'infrastructure/apps/release.yaml': helmRelease('') });
  assert.equal(brief(missing.findings), ['error policy/chart-version-missing infrastructure/apps/release.yaml:10']);
});

test('policy: a plain Secret fails, a SOPS-encrypted one passes', async () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: apps\nstringData:\n  password: hunter2\n';
  const plain = await validateTree({ 'infrastructure/apps/config.yaml': secret });
  assert.equal(brief(plain.findings), ['error policy/plain-secret infrastructure/apps/config.yaml:1']);
  assert.not.match(JSON.stringify(plain.findings), /hunter2/);
  const sops = await validateTree({ 'infrastructure/apps/config.yaml': secret.replace('hunter2', 'ENC[AES256_GCM,data:x,type:str]') + 'sops:\n  version: 3.9.0\n' });
  assert.equal(sops.findings, []);
});

test('policy: dashboard ConfigMaps need the label, valid JSON, unique uids and a kustomization listing them', async () => {
  const dashboard = (name: string, json: string, label = true) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana-dashboard-${name}\n  namespace: apps\n${label ? '  labels:\n    grafana_dashboard: "1"\n' : ''}data:\n  ${name}.json: '${json}'\n`;
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'a.yaml', 'b.yaml', 'c.yaml'),
    'infrastructure/apps/a.yaml': dashboard('a', '{"uid": "same"}', false),
    'infrastructure/apps/b.yaml': dashboard('b', '{"uid": "same"}'),
    'infrastructure/apps/c.yaml': dashboard('c', '{"uid": '),
    'infrastructure/apps/d.yaml': dashboard('d', '{"uid": "d"}'),
  });
  assert.equal(brief(result.findings), [
    'error policy/dashboard-label infrastructure/apps/a.yaml:3',
    'error policy/dashboard-uid-duplicate infrastructure/apps/b.yaml:9',
    'error policy/dashboard-json infrastructure/apps/c.yaml:9',
    'warning graph/unreferenced-file infrastructure/apps/d.yaml:1',
    'error policy/dashboard-unlisted infrastructure/apps/d.yaml:1',
  ]);
  assert.is(result.findings[1].message, 'dashboard uid "same" is also used in infrastructure/apps/a.yaml:7: Grafana keeps only one of them');
});

test('policy: each bad field of a cluster\'s settings is an error at its line, with what to do', async () => {
  const text = SETTINGS.replace('tier: staging', 'tier: prod').replace('  branch: main\n', '') + 'colour: blue\n';
  const result = await validateTree({ 'clusters/dev/settings.yaml': text });
  assert.equal(result.findings, [
    { severity: 'error', check: 'policy', rule: 'policy/cluster-settings', file: 'clusters/dev/settings.yaml', line: 2, clusters: ['dev'],
      message: 'tier must be one of staging, production', hint: 'fix clusters/dev/settings.yaml (tier is staging or production; github has owner, repository, branch and personal: true|false)' },
    { severity: 'error', check: 'policy', rule: 'policy/cluster-settings', file: 'clusters/dev/settings.yaml', line: 3, clusters: ['dev'],
      message: 'github.branch is missing', hint: 'fix clusters/dev/settings.yaml (tier is staging or production; github has owner, repository, branch and personal: true|false)' },
    { severity: 'error', check: 'policy', rule: 'policy/cluster-settings', file: 'clusters/dev/settings.yaml', line: 7, clusters: ['dev'],
      message: 'colour is not a setting', hint: 'fix clusters/dev/settings.yaml (tier is staging or production; github has owner, repository, branch and personal: true|false)' },
  ]);
  assert.is(result.exitCode, 1);
  assert.equal({ errors: result.summary.errors, warnings: result.summary.warnings }, { errors: 3, warnings: 0 });
});

test('policy: settings that are not YAML are reported once, by the YAML check', async () => {
  const result = await validateTree({ 'clusters/dev/settings.yaml': 'context: [a\n' });
  assert.equal(brief(result.findings), ['error yaml/syntax clusters/dev/settings.yaml:1']);
});

test('policy: a cluster without settings is a warning, since status, bootstrap and disaster-recovery refuse it', async () => {
  const result = await validateTree({ 'clusters/dev/settings.yaml': undefined });
  assert.equal(result.findings, [{
    severity: 'warning', check: 'policy', rule: 'policy/cluster-settings-missing', file: 'clusters/dev/settings.yaml', line: 1, clusters: ['dev'],
    message: 'clusters/dev/settings.yaml is missing: status, bootstrap and disaster-recovery refuse cluster dev without it',
    hint: 'write it (context, tier, github: owner, repository, branch, personal), as clusters/*/settings.yaml of the other clusters shows',
  }]);
  assert.is(result.exitCode, 0);
  assert.is((await validateTree({ 'clusters/dev/settings.yaml': undefined }, { strict: true })).exitCode, 1);
});

test('policy: with --changed, settings are checked only when their file changed', async () => {
  const bad = { 'clusters/dev/settings.yaml': SETTINGS.replace('tier: staging', 'tier: prod') };
  const other = await validateTree(bad, { changed: ['infrastructure/apps/config.yaml'] });
  assert.equal(other.findings, []);
  const own = await validateTree(bad, { changed: ['clusters/dev/settings.yaml'] });
  assert.equal(brief(own.findings), ['error policy/cluster-settings clusters/dev/settings.yaml:2']);
  const removed = await validateTree({ 'clusters/dev/settings.yaml': undefined }, { changed: ['clusters/dev/settings.yaml'] });
  assert.equal(brief(removed.findings), ['warning policy/cluster-settings-missing clusters/dev/settings.yaml:1']);
});

test('the Kustomization\'s own transformations apply: targetNamespace moves the HelmRelease away from its namespace', async () => {
  const result = await validateTree({ [APPS]: appsWith('targetNamespace: other') });
  // The HelmRelease now lives in `other`; its sourceRef names flux-system explicitly, so it still resolves.
  assert.equal(result.findings, []);
  const dependent = await validateTree({
    [APPS]: appsWith('targetNamespace: other'),
    'infrastructure/apps/release.yaml': helmRelease('6.5.0') + '  dependsOn:\n    - name: db\n      namespace: apps\n',
  });
  assert.equal(brief(dependent.findings), ['error graph/missing-dependency infrastructure/apps/release.yaml:17']);
});

test('validating one cluster leaves alone the files only another cluster builds', async () => {
  const prod = Object.fromEntries(Object.entries(BASE).filter(([path]) => path.startsWith('clusters/dev/')).map(([path, text]) => [path.replace('clusters/dev/', 'clusters/prod/'), text.replace('./clusters/dev', './clusters/prod')]));
  const tree = {
    ...prod,
    'clusters/prod/kustomization.yaml': kustomization('flux-system', 'apps.yaml', 'dash.yaml'),
    'clusters/prod/dash.yaml': fluxKustomization('dash', './infrastructure/dash', 'postBuild:', '  substitute:', '    N: "2"'),
    'infrastructure/dash/kustomization.yaml': kustomization('deployment.yaml'),
    'infrastructure/dash/deployment.yaml': [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: dash', '  namespace: apps', 'spec:', '  replicas: ${N}',
      '  selector:', '    matchLabels:', '      app: dash', '  template:', '    metadata:', '      labels:', '        app: dash',
      '    spec:', '      containers:', '        - name: dash', '          image: nginx:1.27',
    ].join('\n') + '\n',
  };
  for (const [clusters, objects] of [[['dev'], 8], [['prod'], 10], [[], 18]] as const) {
    const result = await validateTree(tree, { clusters });
    assert.equal([brief(result.findings), result.exitCode, result.summary.objects], [[], 0, objects], clusters.join());
  }
});

test('a cluster named twice is validated once', async () => {
  const twice = await validateTree({}, { clusters: ['dev', 'dev'] });
  const once = await validateTree({}, { clusters: ['dev'] });
  assert.equal([twice.summary.clusters, twice.summary.kustomizations, twice.summary.objects], [once.summary.clusters, once.summary.kustomizations, once.summary.objects]);
  assert.is(twice.summary.clusters, 1);
});

test('an unknown cluster is a usage error', async () => {
  await validateTree({}, { clusters: ['prod'] }).then(() => assert.unreachable('should throw'), (error: Error) => {
    assert.is(error.name, 'UsageError');
    assert.is(error.message, 'no cluster "prod" in clusters/ (there are: dev)');
  });
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Finding } from '../../../scripts/validate/findings.ts';
import { brief, kustomization, validateTree } from './fixture.ts';

const SOURCE = 'infrastructure/sources/podinfo.yaml';
const RELEASE = 'infrastructure/apps/release.yaml';
const SECRET = 'infrastructure/apps/config.yaml';

const ociRepository = (...ref: string[]) =>
  [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: OCIRepository',
    'metadata:',
    '  name: podinfo',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  url: oci://ghcr.io/stefanprodan/charts/podinfo',
    ...(ref.length ? ['  ref:', ...ref.map((line) => `    ${line}`)] : []),
  ].join('\n') + '\n';

const helmChart = (...version: string[]) =>
  [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: HelmChart',
    'metadata:',
    '  name: podinfo',
    '  namespace: apps',
    'spec:',
    '  interval: 10m',
    '  chart: podinfo',
    ...version.map((line) => `  ${line}`),
    '  sourceRef:',
    '    kind: HelmRepository',
    '    name: podinfo',
  ].join('\n') + '\n';

// A HelmRelease whose chart comes from `spec.chartRef` (`ref` lines go under chartRef).
const chartRefRelease = (...ref: string[]) =>
  [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: podinfo',
    '  namespace: apps',
    'spec:',
    '  interval: 10m',
    '  chartRef:',
    ...ref.map((line) => `    ${line}`),
  ].join('\n') + '\n';

const OCI_RELEASE = chartRefRelease('kind: OCIRepository', 'name: podinfo', 'namespace: flux-system');
const OCI_HINT = 'pin the OCIRepository\'s spec.ref to a digest (sha256:…), or to one exact version (tag: 1.2.3, or semver: "1.2.3"), and update it deliberately';
const ociFinding = (line: number, message: string): Finding => ({
  severity: 'error', check: 'policy', rule: 'policy/chart-oci-unpinned', file: SOURCE, line, object: 'OCIRepository flux-system/podinfo',
  kustomization: 'flux-system/sources', clusters: ['dev'], message, hint: OCI_HINT,
});
const USED_BY = 'OCIRepository flux-system/podinfo (the chartRef of HelmRelease apps/podinfo)';

test('a chart from a GitRepository or a Bucket needs no version: Flux ignores it, the source pins the chart', async () => {
  const gitSource = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m\n  url: https://github.com/stefanprodan/podinfo\n  ref:\n    tag: 6.5.0\n';
  const release = (kind: string) => [
    'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: podinfo', '  namespace: apps', 'spec:', '  interval: 10m', '  chart:', '    spec:',
    '      chart: ./charts/podinfo', '      sourceRef:', `        kind: ${kind}`, '        name: podinfo', '        namespace: flux-system',
  ].join('\n') + '\n';
  const git = await validateTree({ [SOURCE]: gitSource, [RELEASE]: release('GitRepository') });
  assert.equal(git.findings, []);
  // From a HelmRepository the same release is unpinned.
  const helm = await validateTree({ [RELEASE]: release('HelmRepository') });
  assert.equal(brief(helm.findings), ['error policy/chart-version-missing infrastructure/apps/release.yaml:10']);
});

test('a chartRef to an OCIRepository with a semver range is reported at the range, naming the HelmRelease', async () => {
  const result = await validateTree({ [SOURCE]: ociRepository('semver: ">=6.0.0"'), [RELEASE]: OCI_RELEASE });
  assert.equal(result.findings, [ociFinding(10, `${USED_BY}: ref.semver ">=6.0.0" is not an exact version`)]);
  assert.is(result.exitCode, 1);
});

test('a chartRef to an OCIRepository with a latest tag, or no ref at all, is unpinned', async () => {
  const latest = await validateTree({ [SOURCE]: ociRepository('tag: latest'), [RELEASE]: OCI_RELEASE });
  assert.equal(latest.findings, [ociFinding(10, `${USED_BY}: ref.tag "latest" is not an exact version, the tag can move`)]);
  const none = await validateTree({ [SOURCE]: ociRepository(), [RELEASE]: OCI_RELEASE });
  assert.equal(none.findings, [ociFinding(8, `${USED_BY} has no ref.digest, ref.semver or ref.tag: every reconcile pulls the latest tag`)]);
  assert.is(none.exitCode, 1);
});

test('an OCIRepository pinned by digest, exact tag or exact semver passes; a digest wins over a range', async () => {
  for (const ref of [['tag: 6.5.0'], ['semver: "6.5.0"'], ['digest: sha256:2c3d4e5f'], ['semver: ">=6.0.0"', 'digest: sha256:2c3d4e5f']]) {
    const result = await validateTree({ [SOURCE]: ociRepository(...ref), [RELEASE]: OCI_RELEASE });
    assert.equal(result.findings, [], ref.join(', '));
    assert.is(result.exitCode, 0);
  }
});

test('when the sources fail to build, the chartRef\'s OCIRepository is found in the cluster\'s Flux sources and still checked', async () => {
  const result = await validateTree({
    'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'missing.yaml'),
    [SOURCE]: ociRepository('semver: ">=6.0.0"'),
    [RELEASE]: OCI_RELEASE,
  });
  assert.equal(brief(result.findings), ['error build/failed clusters/dev/apps.yaml:8', `error policy/chart-oci-unpinned ${SOURCE}:10`]);
  // Read from the tree, not from a build: no Kustomization is named.
  const { kustomization: _built, ...fromTree } = ociFinding(10, `${USED_BY}: ref.semver ">=6.0.0" is not an exact version`);
  assert.equal(result.findings[1], fromTree);
});

test('an OCIRepository no HelmRelease uses as its chart is not checked for pinning', async () => {
  const result = await validateTree({ [SOURCE]: ociRepository('tag: latest') });
  assert.equal(brief(result.findings), ['error graph/missing-source infrastructure/apps/release.yaml:12']);
});

test('a chartRef without a namespace finds the HelmChart in the HelmRelease\'s namespace; its version follows the exact-version rule', async () => {
  const changes = (...version: string[]) => ({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'chart.yaml'),
    'infrastructure/apps/chart.yaml': helmChart(...version),
    [RELEASE]: chartRefRelease('kind: HelmChart', 'name: podinfo'),
  });
  const range = await validateTree(changes('version: "6.x"'));
  assert.equal(range.findings, [{
    severity: 'error', check: 'policy', rule: 'policy/chart-version-range', file: 'infrastructure/apps/chart.yaml', line: 9,
    object: 'HelmChart apps/podinfo', kustomization: 'flux-system/apps', clusters: ['dev'],
    message: 'chart podinfo of HelmChart apps/podinfo (the chartRef of HelmRelease apps/podinfo): version "6.x" is not an exact version',
    hint: 'pin the HelmChart\'s spec.version to one exact version (e.g. 1.2.3), and update it deliberately',
  }]);
  const missing = await validateTree(changes());
  assert.equal(brief(missing.findings), ['error policy/chart-version-missing infrastructure/apps/chart.yaml:8']);
  assert.is(missing.findings[0].message, 'chart podinfo of HelmChart apps/podinfo (the chartRef of HelmRelease apps/podinfo) has no version: every reconcile may install the newest one');
  const exact = await validateTree(changes('version: 6.5.0'));
  assert.equal(exact.findings, []);
});

const secret = (...lines: string[]) => ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: creds', '  namespace: apps', ...lines].join('\n') + '\n';
const CIPHER = 'ENC[AES256_GCM,data:3l1+Yw==,iv:8vBAJfd3GQ2Z0bE2gq7uJtRb/8a7I0rI7nq8CZCNyBA=,tag:1p0Pr3DJHT9tSJ8sKZ0Nxw==,type:str]';
const SOPS_META = ['sops:', '  age:', '    - recipient: age1qqqq', '  lastmodified: "2026-01-01T00:00:00Z"', `  mac: ${CIPHER}`, '  version: 3.9.0'];
const PLAIN_HINT = 'encrypt the file again (`sops --encrypt --in-place <file>`; edit encrypted files with `sops <file>`), and rotate the value: Git history keeps it';
const noValueIn = (findings: readonly Finding[], ...values: string[]) => {
  for (const f of findings) for (const value of values) assert.not.ok(f.message.includes(value) || f.hint.includes(value), `${f.rule} shows a secret value`);
};

test('a Secret with sops metadata but a plain value is reported at the value, without showing it', async () => {
  const result = await validateTree({ [SECRET]: secret('stringData:', '  password: hunter2', `  token: ${CIPHER}`, ...SOPS_META) });
  assert.equal(result.findings, [{
    severity: 'error', check: 'policy', rule: 'policy/sops-plain-value', file: SECRET, line: 7, object: 'Secret apps/creds',
    kustomization: 'flux-system/apps', clusters: ['dev'],
    message: 'stringData.password is not SOPS ciphertext although the Secret is sops-encrypted: its value is in plain text in the repository',
    hint: PLAIN_HINT,
  }]);
  noValueIn(result.findings, 'hunter2');
  assert.is(result.exitCode, 1);
});

test('sops rules: keys with the unencrypted suffix stay plain, and encrypted_regex decides what must be encrypted', async () => {
  const suffix = await validateTree({ [SECRET]: secret('stringData:', '  user_unencrypted: admin', '  password: hunter2', ...SOPS_META) });
  assert.equal(brief(suffix.findings), [`error policy/sops-plain-value ${SECRET}:8`]);
  const custom = await validateTree({ [SECRET]: secret('stringData:', '  user_plain: admin', '  user_unencrypted: admin', ...SOPS_META, '  unencrypted_suffix: _plain') });
  assert.equal(brief(custom.findings), [`error policy/sops-plain-value ${SECRET}:8`]);
  assert.is(custom.findings[0].message.split(' ')[0], 'stringData.user_unencrypted');
  const dataOnly = await validateTree({ [SECRET]: secret('data:', `  password: ${CIPHER}`, 'stringData:', '  user: admin', ...SOPS_META, '  encrypted_regex: ^(data)$') });
  assert.equal(dataOnly.findings, []);
  const byKey = await validateTree({ [SECRET]: secret('stringData:', '  user: admin', '  password: hunter2', ...SOPS_META, '  encrypted_regex: ^password$') });
  assert.equal(brief(byKey.findings), [`error policy/sops-plain-value ${SECRET}:8`]);
  noValueIn([...suffix.findings, ...custom.findings, ...byKey.findings], 'hunter2', 'admin');
});

test('a plain Secret is still reported once, without its value; an encrypted one passes', async () => {
  const plain = await validateTree({ [SECRET]: secret('stringData:', '  password: hunter2') });
  assert.equal(brief(plain.findings), [`error policy/plain-secret ${SECRET}:1`]);
  noValueIn(plain.findings, 'hunter2');
  const encrypted = await validateTree({ [SECRET]: secret('stringData:', `  password: ${CIPHER}`, '  user_unencrypted: admin', ...SOPS_META) });
  assert.equal(encrypted.findings, []);
});

// A dotenv as `sops --encrypt` writes it: the values, then sops's metadata as sops_* lines.
const sopsDotenv = (...values: string[]) =>
  [...values, 'sops_age__list_0__map_recipient=age1qqqq', 'sops_lastmodified=2026-01-01T00:00:00Z', `sops_mac=${CIPHER}`, 'sops_unencrypted_suffix=_unencrypted', 'sops_version=3.9.0'].join('\n') + '\n';
const generator = (kind: 'envs' | 'files', file: string) =>
  kustomization('namespace.yaml', 'release.yaml', 'config.yaml') + `secretGenerator:\n  - name: creds\n    namespace: apps\n    ${kind}:\n      - ${file}\n`;

test('a Secret generated from a sops-encrypted dotenv passes: kustomize-controller decrypts it before the build', async () => {
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': generator('envs', 'creds.env'),
    'infrastructure/apps/creds.env': sopsDotenv(`password=${CIPHER}`, 'user_unencrypted=admin'),
  });
  assert.equal(result.findings, []);
  assert.is(result.exitCode, 0);
});

test('a Secret generated from a sops-encrypted YAML file passes', async () => {
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': generator('files', 'creds.yaml'),
    'infrastructure/apps/creds.yaml': `password: ${CIPHER}\n${SOPS_META.join('\n')}\n`,
  });
  assert.equal(result.findings, []);
});

test('a plain value in a sops-encrypted dotenv, and a plain dotenv, are reported without their values', async () => {
  const mixed = await validateTree({
    'infrastructure/apps/kustomization.yaml': generator('envs', 'creds.env'),
    'infrastructure/apps/creds.env': sopsDotenv(`password=${CIPHER}`, 'token=hunter2'),
  });
  const plain = await validateTree({
    'infrastructure/apps/kustomization.yaml': generator('envs', 'creds.env'),
    'infrastructure/apps/creds.env': 'token=hunter2\n',
  });
  assert.equal(plain.findings.map((f) => f.rule), ['policy/plain-secret']);
  // A generated Secret has no file of its own: both findings are where validate places the generated object.
  const { file, line } = plain.findings[0];
  assert.equal(mixed.findings, [{
    severity: 'error', check: 'policy', rule: 'policy/sops-plain-value', file, line, object: 'Secret apps/creds-5gbb5mf95d',
    kustomization: 'flux-system/apps', clusters: ['dev'],
    message: 'data.token of a Secret generated from a sops-encrypted file is not SOPS ciphertext: its value is in plain text in the repository',
    hint: PLAIN_HINT,
  }]);
  assert.is(mixed.exitCode, 1);
  noValueIn(mixed.findings, 'hunter2', Buffer.from('hunter2').toString('base64'));
  noValueIn(plain.findings, 'hunter2', Buffer.from('hunter2').toString('base64'));
});

test.run();

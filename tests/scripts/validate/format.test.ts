import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatGithub, formatJson, formatText, summaryLine } from '../../../scripts/validate/format.ts';
import type { ValidateResult } from '../../../scripts/validate/findings.ts';

const result: ValidateResult = {
  findings: [
    { severity: 'error', check: 'policy', rule: 'policy/chart-version-range', file: 'infrastructure/apps/release.yaml', line: 11, object: 'HelmRelease apps/podinfo',
      kustomization: 'flux-system/apps', clusters: ['production', 'staging'], message: 'chart version "6.x" is not an exact version', hint: 'pin it, 100%' },
    { severity: 'warning', check: 'graph', rule: 'graph/unreferenced-file', file: 'infrastructure/apps/extra.yaml', line: 1, clusters: [],
      message: 'no Flux Kustomization builds this file: it is never applied', hint: 'list it, or delete it' },
  ],
  summary: { clusters: 2, kustomizations: 6, cached: 2, objects: 40, errors: 1, warnings: 1, withoutSchema: { 'example.com/v1 Widget': 2 }, durationMs: 1234 },
  exitCode: 1,
};

test('text groups findings by file and ends with the summary', () => {
  assert.is(formatText(result), [
    'infrastructure/apps/release.yaml',
    '    11  error    policy/chart-version-range  HelmRelease apps/podinfo: chart version "6.x" is not an exact version  [production, staging]',
    '        → pin it, 100%',
    '',
    'infrastructure/apps/extra.yaml',
    '     1  warning  graph/unreferenced-file  no Flux Kustomization builds this file: it is never applied',
    '        → list it, or delete it',
    '',
    '2 clusters, 6 Kustomizations (2 cached), 40 objects: 1 error, 1 warning, 2 without schema (1.2 s)',
    'objects without a schema (not checked against one): example.com/v1 Widget ×2',
  ].join('\n'));
});

test('github prints one workflow command per finding, escaped, and the summary as a notice', () => {
  assert.is(formatGithub(result), [
    '::error file=infrastructure/apps/release.yaml,line=11,title=policy/chart-version-range::HelmRelease apps/podinfo: chart version "6.x" is not an exact version [production, staging]%0Apin it, 100%25',
    '::warning file=infrastructure/apps/extra.yaml,line=1,title=graph/unreferenced-file::no Flux Kustomization builds this file: it is never applied%0Alist it, or delete it',
    '::notice title=validate::2 clusters, 6 Kustomizations (2 cached), 40 objects: 1 error, 1 warning, 2 without schema (1.2 s)',
  ].join('\n'));
});

test('json has a version, the summary, the findings and the exit code', () => {
  const parsed = JSON.parse(formatJson(result));
  assert.equal(Object.keys(parsed), ['version', 'summary', 'findings', 'exitCode']);
  assert.is(parsed.version, 1);
  assert.equal(parsed.summary, result.summary);
  assert.equal(parsed.findings, result.findings);
  assert.equal(Object.keys(parsed.findings[0]), ['severity', 'check', 'rule', 'file', 'line', 'object', 'kustomization', 'clusters', 'message', 'hint']);
  assert.is(parsed.exitCode, 1);
});

test('the summary counts in words', () => {
  assert.is(summaryLine({ clusters: 1, kustomizations: 1, cached: 0, objects: 1, errors: 0, warnings: 0, withoutSchema: {}, durationMs: 50 }),
    '1 cluster, 1 Kustomization, 1 object: 0 errors, 0 warnings, 0 without schema (0.1 s)');
});

test.run();

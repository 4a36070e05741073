import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatGithub, formatJson, formatText, summaryLine } from '../../../scripts/validate/format.ts';
import { MAX_WITHOUT_SCHEMA_OBJECTS, type Finding, type ValidateResult } from '../../../scripts/validate/findings.ts';

const result: ValidateResult = {
  findings: [
    { severity: 'error', check: 'policy', rule: 'policy/chart-version-range', file: 'infrastructure/apps/release.yaml', line: 11, object: 'HelmRelease apps/podinfo',
      kustomization: 'flux-system/apps', clusters: ['production', 'staging'], message: 'chart version "6.x" is not an exact version', hint: 'pin it, 100%' },
    { severity: 'warning', check: 'graph', rule: 'graph/unreferenced-file', file: 'infrastructure/apps/extra.yaml', line: 1, clusters: [],
      message: 'no Flux Kustomization builds this file: it is never applied', hint: 'list it, or delete it' },
  ],
  summary: { clusters: 2, kustomizations: 6, cached: 2, objects: 40, errors: 1, warnings: 1, withoutSchema: { 'example.com/v1 Widget': 2 },
    withoutSchemaObjects: [{ kind: 'example.com/v1 Widget', object: 'Widget apps/gear', file: 'infrastructure/apps/widget.yaml', line: 3, clusters: ['production', 'staging'] }],
    durationMs: 1234 },
  exitCode: 1,
};

// `count` ConfigMaps of one file with the same misspelt field, and one other finding between them.
function repeated(count: number): ValidateResult {
  const findings: Finding[] = Array.from({ length: count }, (_, i) => ({
    severity: 'error', check: 'schema', rule: 'schema/unknown-field', file: 'infrastructure/apps/config.yaml', line: 2 + i * 6, object: `ConfigMap apps/c${i}`,
    kustomization: 'flux-system/apps', clusters: ['staging'], message: 'metadata.lables: unknown field', hint: 'remove the field',
  }));
  findings.splice(1, 0, { severity: 'warning', check: 'graph', rule: 'graph/unreferenced-file', file: 'infrastructure/apps/config.yaml', line: 3, clusters: [],
    message: 'never applied', hint: 'list it' });
  findings.push({ ...findings[0], file: 'infrastructure/apps/more.yaml' });
  return { findings, summary: { ...result.summary, errors: count + 1, warnings: 1, withoutSchema: {}, withoutSchemaObjects: [] }, exitCode: 1 };
}

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
    '  infrastructure/apps/widget.yaml:3  Widget apps/gear  [production, staging]',
  ].join('\n'));
});

test('text shows a rule\'s hint once per file, on its first finding, with how many findings below share it', () => {
  assert.is(formatText(repeated(3)), [
    'infrastructure/apps/config.yaml',
    '     2  error    schema/unknown-field  ConfigMap apps/c0: metadata.lables: unknown field  [staging]',
    '        → remove the field  (same for the next 2 schema/unknown-field below)',
    '     3  warning  graph/unreferenced-file  never applied',
    '        → list it',
    '     8  error    schema/unknown-field  ConfigMap apps/c1: metadata.lables: unknown field  [staging]',
    '    14  error    schema/unknown-field  ConfigMap apps/c2: metadata.lables: unknown field  [staging]',
    '',
    'infrastructure/apps/more.yaml',
    '     2  error    schema/unknown-field  ConfigMap apps/c0: metadata.lables: unknown field  [staging]',
    '        → remove the field',
    '',
    '2 clusters, 6 Kustomizations (2 cached), 40 objects: 4 errors, 1 warning, 0 without schema (1.2 s)',
  ].join('\n'));
});

test('json and github keep every finding\'s hint', () => {
  const many = repeated(3);
  assert.equal(JSON.parse(formatJson(many)).findings.map((f: Finding) => f.hint), ['remove the field', 'list it', 'remove the field', 'remove the field', 'remove the field']);
  assert.equal(formatGithub(many).split('\n').slice(0, -1).map((line) => line.split('%0A')[1]), ['remove the field', 'list it', 'remove the field', 'remove the field', 'remove the field']);
});

test('text lists the objects without a schema up to the cap, and says how many there are in all', () => {
  const objects = Array.from({ length: MAX_WITHOUT_SCHEMA_OBJECTS }, (_, i) => ({ kind: 'example.com/v1 Widget', object: `Widget apps/w${i}`, file: 'infrastructure/apps/widget.yaml', line: 1 + i * 5, clusters: [] }));
  const capped: ValidateResult = { findings: [], summary: { ...result.summary, errors: 0, warnings: 0, withoutSchema: { 'example.com/v1 Gadget': 3, 'example.com/v1 Widget': 60 }, withoutSchemaObjects: objects }, exitCode: 0 };
  const lines = formatText(capped).split('\n');
  assert.equal(lines.slice(0, 3), [
    '2 clusters, 6 Kustomizations (2 cached), 40 objects: 0 errors, 0 warnings, 63 without schema (1.2 s)',
    'objects without a schema (not checked against one): example.com/v1 Gadget ×3, example.com/v1 Widget ×60',
    '  infrastructure/apps/widget.yaml:1  Widget apps/w0',
  ]);
  assert.equal(lines.slice(-2), [`  infrastructure/apps/widget.yaml:${1 + (MAX_WITHOUT_SCHEMA_OBJECTS - 1) * 5}  Widget apps/w${MAX_WITHOUT_SCHEMA_OBJECTS - 1}`, `  … the first ${MAX_WITHOUT_SCHEMA_OBJECTS} listed (63 without schema in all)`]);
  assert.is(lines.length, 2 + MAX_WITHOUT_SCHEMA_OBJECTS + 1);
});

test('github prints one workflow command per finding, escaped, and the summary as a notice', () => {
  assert.is(formatGithub(result), [
    '::error file=infrastructure/apps/release.yaml,line=11,title=policy/chart-version-range::HelmRelease apps/podinfo: chart version "6.x" is not an exact version [production, staging]%0Apin it, 100%25',
    '::warning file=infrastructure/apps/extra.yaml,line=1,title=graph/unreferenced-file::no Flux Kustomization builds this file: it is never applied%0Alist it, or delete it',
    '::notice title=validate::2 clusters, 6 Kustomizations (2 cached), 40 objects: 1 error, 1 warning, 2 without schema (1.2 s)%0Aobjects without a schema (not checked against one): example.com/v1 Widget ×2',
  ].join('\n'));
});

test('json has a version, the summary, the findings and the exit code', () => {
  const parsed = JSON.parse(formatJson(result));
  assert.equal(Object.keys(parsed), ['version', 'summary', 'findings', 'exitCode']);
  assert.is(parsed.version, 1);
  assert.equal(parsed.summary, result.summary);
  assert.equal(Object.keys(parsed.summary), ['clusters', 'kustomizations', 'cached', 'objects', 'errors', 'warnings', 'withoutSchema', 'withoutSchemaObjects', 'durationMs']);
  assert.equal(Object.keys(parsed.summary.withoutSchemaObjects[0]), ['kind', 'object', 'file', 'line', 'clusters']);
  assert.equal(parsed.findings, result.findings);
  assert.equal(Object.keys(parsed.findings[0]), ['severity', 'check', 'rule', 'file', 'line', 'object', 'kustomization', 'clusters', 'message', 'hint']);
  assert.is(parsed.exitCode, 1);
});

test('json writes every finding with one key order, whatever order its object was made in', () => {
  const made: Finding = { hint: 'h', message: 'm', clusters: ['dev'], kustomization: 'flux-system/apps', object: 'Secret apps/s', line: 4, file: 'a.yaml', rule: 'graph/secret-substitution', check: 'graph', severity: 'warning' };
  const { kustomization: _k, object: _o, ...bare } = made;
  const json = formatJson({ findings: [made, bare], summary: { ...result.summary, withoutSchema: {}, withoutSchemaObjects: [] }, exitCode: 0 });
  assert.is(json.slice(json.indexOf('"findings"')), [
    '"findings": [',
    '    {',
    '      "severity": "warning",',
    '      "check": "graph",',
    '      "rule": "graph/secret-substitution",',
    '      "file": "a.yaml",',
    '      "line": 4,',
    '      "object": "Secret apps/s",',
    '      "kustomization": "flux-system/apps",',
    '      "clusters": [',
    '        "dev"',
    '      ],',
    '      "message": "m",',
    '      "hint": "h"',
    '    },',
    '    {',
    '      "severity": "warning",',
    '      "check": "graph",',
    '      "rule": "graph/secret-substitution",',
    '      "file": "a.yaml",',
    '      "line": 4,',
    '      "clusters": [',
    '        "dev"',
    '      ],',
    '      "message": "m",',
    '      "hint": "h"',
    '    }',
    '  ],',
    '  "exitCode": 0',
    '}',
  ].join('\n'));
});

test('the summary counts in words', () => {
  assert.is(summaryLine({ clusters: 1, kustomizations: 1, cached: 0, objects: 1, errors: 0, warnings: 0, withoutSchema: {}, withoutSchemaObjects: [], durationMs: 50 }),
    '1 cluster, 1 Kustomization, 1 object: 0 errors, 0 warnings, 0 without schema (0.1 s)');
});

test.run();

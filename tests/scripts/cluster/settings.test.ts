// Cluster settings: the shipped files are valid, and each kind of bad value is named by file and field.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readClusterSettings, listClusters } from '../../../scripts/cluster/settings.ts';
import { TaskError } from '../../../scripts/core/errors.ts';
import { REPO } from '../../helpers/run-task-process.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

const VALID = 'context: kind-dev\ntier: staging\ngithub:\n  owner: acme\n  repository: fleet\n  branch: main\n  personal: true\n';

// The TaskError message reading clusters/dev/settings.yaml holding `text`.
function problemWith(text: string | undefined): string {
  const dir = testdir(text === undefined ? { 'clusters/dev/kustomization.yaml': 'resources: []\n' } : { 'clusters/dev/settings.yaml': text });
  try {
    readClusterSettings(dir, 'dev');
  } catch (error) {
    assert.instance(error, TaskError);
    return (error as TaskError).message;
  } finally {
    removeDir(dir);
  }
  throw new Error('no error');
}

test('the shipped clusters have valid settings: staging and production tiers', () => {
  assert.equal(listClusters(REPO), ['production', 'staging']);
  assert.equal(readClusterSettings(REPO, 'staging'), {
    name: 'staging', file: 'clusters/staging/settings.yaml', context: 'staging', tier: 'staging',
    github: { owner: 'OWNER', repository: 'gitops-tasks', branch: 'main', personal: false },
  });
  assert.is(readClusterSettings(REPO, 'production').tier, 'production');
  assert.is(readClusterSettings(REPO, 'production').context, 'production');
});

test('reads a valid file', () => {
  const dir = testdir({ 'clusters/dev/settings.yaml': VALID });
  try {
    assert.equal(readClusterSettings(dir, 'dev'), {
      name: 'dev', file: 'clusters/dev/settings.yaml', context: 'kind-dev', tier: 'staging',
      github: { owner: 'acme', repository: 'fleet', branch: 'main', personal: true },
    });
  } finally {
    removeDir(dir);
  }
});

test('a tier that is neither staging nor production is named with file and field', () => {
  assert.is(problemWith(VALID.replace('tier: staging', 'tier: prod')), 'clusters/dev/settings.yaml: tier must be one of staging, production');
});

test('missing, mistyped and unknown fields are each named, nested ones with their path', () => {
  const text = 'tier: staging\ncolour: blue\ngithub:\n  owner: acme\n  repository: fleet\n  branch: ""\n  personal: "yes"\n';
  assert.is(problemWith(text), [
    'clusters/dev/settings.yaml: context is missing',
    'clusters/dev/settings.yaml: colour is not a setting',
    'clusters/dev/settings.yaml: github.branch must not be empty',
    'clusters/dev/settings.yaml: github.personal must be a boolean',
  ].join('\n'));
});

test('a missing file, a missing cluster and broken YAML are refused with the file', () => {
  assert.is(problemWith(undefined), 'clusters/dev/settings.yaml is missing');
  assert.is(problemWith('context: [a\n'), 'clusters/dev/settings.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]');
  const dir = testdir({ 'clusters/dev/settings.yaml': VALID });
  try {
    assert.throws(() => readClusterSettings(dir, 'qa'), (e: Error) => e.message === 'unknown cluster "qa": there is no folder clusters/qa');
  } finally {
    removeDir(dir);
  }
});

test.run();

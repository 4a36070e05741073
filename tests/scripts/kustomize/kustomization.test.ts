import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskError } from '../../../scripts/core/errors.ts';
import {
  addResource,
  kustomizationPath,
  leavesUnchanged,
  planAddResource,
  planRemoveResource,
  removeResource,
  resourceListing,
  sameEntry,
} from '../../../scripts/kustomize/kustomization.ts';
import { assertGolden, readGolden } from '../../helpers/golden.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

const before = readGolden('kustomize/commented-before.yaml');

test('creates a kustomization when there is none', () => {
  assert.equal(planAddResource(undefined, 'a-configmap.yaml'), {
    text: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a-configmap.yaml\n',
    changed: true,
  });
});

test('appends an entry keeping comments, blank lines, key order and list style', () => {
  const { text, changed } = planAddResource(before, 'new-configmap.yaml');
  assert.ok(changed);
  assertGolden(text, 'kustomize/commented-after-add.yaml');
});

test('never lists an entry twice, in any spelling', () => {
  for (const entry of ['flux-configmap.yaml', './flux-configmap.yaml', 'prometheus/', './prometheus']) {
    assert.equal(planAddResource(before, entry), { text: before, changed: false }, entry);
  }
});

test('adding twice is the same as adding once', () => {
  const once = planAddResource(before, 'new-configmap.yaml').text;
  assert.equal(planAddResource(once, 'new-configmap.yaml'), { text: once, changed: false });
});

test('adds resources to a kustomization that has none, in its list style', () => {
  assert.is(planAddResource('kind: Kustomization\nnamespace: x\n', 'a.yaml').text, 'kind: Kustomization\nnamespace: x\nresources:\n  - a.yaml\n');
  assert.is(planAddResource('kind: Kustomization\nresources:\n', 'a.yaml').text, 'kind: Kustomization\nresources:\n  - a.yaml\n');
  assert.is(planAddResource('resources: [a.yaml]\n', 'b.yaml').text, 'resources: [ a.yaml, b.yaml ]\n');
});

test('removes an entry in any spelling and keeps the rest', () => {
  const { text, changed } = planRemoveResource(before, 'flux-configmap.yaml');
  assert.ok(changed);
  assertGolden(text, 'kustomize/commented-after-remove.yaml');
  assert.equal(planRemoveResource(before, 'missing.yaml'), { text: before, changed: false });
  assert.equal(planRemoveResource(undefined, 'missing.yaml'), { text: '', changed: false });
});

test('refuses a kustomization that is not YAML or whose resources is not a list', () => {
  assert.throws(() => planAddResource('resources: [a\n', 'b', 'k.yaml'), (e: unknown) => e instanceof TaskError && /^k.yaml is not valid YAML/.test(e.message));
  assert.throws(() => planAddResource('resources: a.yaml\n', 'b', 'k.yaml'), (e: unknown) => e instanceof TaskError && e.message === 'k.yaml: "resources" is not a list.');
  assert.throws(() => planAddResource('- a\n', 'b', 'k.yaml'), (e: unknown) => e instanceof TaskError && e.message === 'k.yaml is not a kustomization (expected a mapping at the top).');
});

test('lists the resources and bases entries as written', () => {
  assert.equal(resourceListing(before), { resources: ['node-exporter-configmap.yaml', './flux-configmap.yaml', 'prometheus'], bases: [] });
  assert.equal(resourceListing('bases: [../base]\nresources:\n- a.yaml\n- {path: b}\n'), { resources: ['a.yaml'], bases: ['../base'] });
  assert.equal(resourceListing('resources: a.yaml\n'), { resources: [], bases: [] });
  assert.equal(resourceListing(''), { resources: [], bases: [] });
  assert.throws(() => resourceListing('resources: [a\n', 'k.yaml'), (e: unknown) => e instanceof TaskError && /^k.yaml is not valid YAML/.test(e.message));
});

test('a listing decides "no change" exactly as the planners do', () => {
  const texts = [before, 'bases:\n- ../base\nresources: []\n', 'kind: Kustomization\n', 'resources: [a.yaml, ./b/]\n'];
  const entries = ['flux-configmap.yaml', './prometheus/', 'new.yaml', '../base', 'b', 'a.yaml'];
  for (const text of texts) {
    const listing = resourceListing(text);
    for (const entry of entries) {
      assert.is(leavesUnchanged(listing, 'add', entry), !planAddResource(text, entry).changed, `add ${entry} to ${text}`);
      assert.is(leavesUnchanged(listing, 'remove', entry), !planRemoveResource(text, entry).changed, `remove ${entry} from ${text}`);
    }
  }
});

test('compares entries the way kustomize resolves them', () => {
  assert.ok(sameEntry('./a/', 'a'));
  assert.not.ok(sameEntry('a', 'b/a'));
});

test('edits the file in place and reports whether it changed', () => {
  const dir = testdir({ 'x/Kustomization': 'resources:\n- a.yaml\n' });
  try {
    assert.is(kustomizationPath(join(dir, 'x')), join(dir, 'x/Kustomization'));
    assert.ok(addResource(join(dir, 'x'), 'b.yaml'));
    assert.not.ok(addResource(join(dir, 'x'), 'b.yaml'));
    assert.is(readFileSync(join(dir, 'x/Kustomization'), 'utf8'), 'resources:\n- a.yaml\n- b.yaml\n');
    assert.ok(removeResource(join(dir, 'x'), 'a.yaml'));
    assert.is(readFileSync(join(dir, 'x/Kustomization'), 'utf8'), 'resources:\n- b.yaml\n');
    assert.ok(addResource(join(dir, 'new'), 'c.yaml'));
    assert.is(readFileSync(join(dir, 'new/kustomization.yaml'), 'utf8'), planAddResource(undefined, 'c.yaml').text);
  } finally {
    removeDir(dir);
  }
});

test.run();

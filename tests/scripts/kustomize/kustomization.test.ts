import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { TaskError } from '../../../scripts/core/errors.ts';
import {
  kustomizationPath,
  leavesUnchanged,
  planAddResource,
  planRemoveResource,
  resourceListing,
  sameEntry,
} from '../../../scripts/kustomize/kustomization.ts';
import { assertGolden, readGolden } from '../../helpers/golden.ts';
import { withTestdir } from '../../helpers/testdir.ts';

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
  assert.is(planAddResource('resources: [a.yaml]\n', 'b.yaml').text, 'resources: [a.yaml, b.yaml]\n');
  assert.is(planAddResource('', 'a.yaml').text, 'resources:\n  - a.yaml\n');
  assert.is(planAddResource('kind: Kustomization\nresources: [] # none yet\n', 'a.yaml').text, 'kind: Kustomization\nresources:\n  - a.yaml # none yet\n');
  assert.is(planAddResource('kind: Kustomization\nresources:\n- a.yaml\n', 'b.yaml').text, 'kind: Kustomization\nresources:\n- a.yaml\n- b.yaml\n');
});

test('edits a flow list in place, leaving every other line exactly as written', () => {
  const text = 'resources: [a.yaml,  ./b/]   # two\n# keep   this  spacing\nnamespace: x     # trailing\nlabels:   {a: b}\n';
  assert.is(planAddResource(text, 'c.yaml').text, text.replace('./b/]', './b/, c.yaml]'));
  assert.is(planRemoveResource(text, 'a.yaml').text, text.replace('a.yaml,  ', ''));
  assert.is(planRemoveResource(text, 'b').text, text.replace(',  ./b/', ''));
  assert.is(planRemoveResource('resources: [a.yaml]  # one\nx:   1\n', 'a.yaml').text, 'resources: []  # one\nx:   1\n');
});

test('removing the last entry of a block list leaves an empty list and the comments', () => {
  assert.is(planRemoveResource('resources:\n  # dashboards\n  - a.yaml\nx:   1\n', 'a.yaml').text, 'resources: []\n  # dashboards\nx:   1\n');
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

test('finds the kustomization file kustomize would read', () => {
  withTestdir({ 'x/Kustomization': 'resources: []\n', 'y/other.yaml': '' }, (dir) => {
    assert.is(kustomizationPath(join(dir, 'x')), join(dir, 'x/Kustomization'));
    assert.is(kustomizationPath(join(dir, 'y')), join(dir, 'y/kustomization.yaml'));
  });
});

test.run();

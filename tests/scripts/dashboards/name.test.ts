import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../scripts/core/errors.ts';
import { checkDashboardName, checkFolderName, slugifyName } from '../../../scripts/dashboards/name.ts';

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    assert.instance(error, UsageError);
    return (error as Error).message;
  }
  return 'accepted';
}

const RULE = 'It becomes grafana-dashboard-<name> and <name>-dashboard.json, so use lowercase letters, digits and "-" (at most 63, starting and ending with a letter or digit).';

test('accepts a lowercase DNS-1123 label', () => {
  assert.is(refusal(() => checkDashboardName('ok-name')), 'accepted');
  assert.is(refusal(() => checkDashboardName('a'.repeat(63))), 'accepted');
  assert.is(refusal(() => checkDashboardName('node-exporter-2')), 'accepted');
});

test('refuses uppercase and suggests the lowercase name', () => {
  assert.is(refusal(() => checkDashboardName('Foo')), `Invalid dashboard name "Foo": it has uppercase letters. ${RULE} Try: foo`);
});

test('refuses anything that could escape a path', () => {
  assert.is(refusal(() => checkDashboardName('a/b')), `Invalid dashboard name "a/b": it could point outside the dashboards folder. ${RULE} Try: a-b`);
  assert.is(refusal(() => checkDashboardName('..')), `Invalid dashboard name "..": it could point outside the dashboards folder. ${RULE} Example: node-exporter`);
  assert.is(refusal(() => checkDashboardName('a\\b')), `Invalid dashboard name "a\\\\b": it could point outside the dashboards folder. ${RULE} Try: a-b`);
});

test('refuses a leading or trailing dash', () => {
  assert.is(refusal(() => checkDashboardName('-x')), `Invalid dashboard name "-x": it starts or ends with "-". ${RULE} Try: x`);
  assert.is(refusal(() => checkDashboardName('x-')), `Invalid dashboard name "x-": it starts or ends with "-". ${RULE} Try: x`);
});

test('refuses 64 characters', () => {
  assert.is(refusal(() => checkDashboardName('a'.repeat(64))), `Invalid dashboard name "${'a'.repeat(64)}": it is 64 characters long. ${RULE} Try: ${'a'.repeat(63)}`);
});

test('refuses an empty name, dots and underscores', () => {
  assert.is(refusal(() => checkDashboardName('')), `Invalid dashboard name "": it is empty. ${RULE} Example: node-exporter`);
  assert.is(refusal(() => checkDashboardName('a.b')), `Invalid dashboard name "a.b": it has characters other than a-z, 0-9 and "-". ${RULE} Try: a-b`);
  assert.is(refusal(() => checkDashboardName('a_b')), `Invalid dashboard name "a_b": it has characters other than a-z, 0-9 and "-". ${RULE} Try: a-b`);
});

test('slugifies titles into names', () => {
  assert.is(slugifyName('Node Exporter Full'), 'node-exporter-full');
  assert.is(slugifyName('Kubernetes / Views / Nodes'), 'kubernetes-views-nodes');
  assert.is(slugifyName('Café Überblick'), 'cafe-uberblick');
  assert.is(slugifyName('---'), '');
});

test('checks --folder values', () => {
  assert.is(refusal(() => checkFolderName('Kubernetes')), 'accepted');
  assert.is(refusal(() => checkFolderName('Infra/Nodes')), 'accepted');
  assert.is(refusal(() => checkFolderName('../etc')), 'Invalid --folder "../etc": it must not be absolute or contain "..". Example: --folder "Kubernetes"');
  assert.is(refusal(() => checkFolderName('/abs')), 'Invalid --folder "/abs": it must not be absolute or contain "..". Example: --folder "Kubernetes"');
  assert.is(refusal(() => checkFolderName('a\u2028b')), 'Invalid --folder "a\u2028b": it contains control or line-separator characters. Example: --folder "Kubernetes"');
  assert.is(refusal(() => checkFolderName(' ')), 'Invalid --folder " ": it is empty. Example: --folder "Kubernetes"');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { TaskError } from '../../../scripts/core/errors.ts';
import { exportGuide, parseDashboardExport, readDashboardExport } from '../../../scripts/dashboards/read-export.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

const SOURCE = 'tmp/dashboard.json';
const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseDashboardExport(bytes(text), SOURCE);

function failure(run: () => unknown): TaskError {
  try {
    run();
  } catch (error) {
    assert.instance(error, TaskError);
    return error as TaskError;
  }
  throw new assert.Assertion({ message: 'expected a TaskError', operator: 'throws', expects: 'TaskError', actual: 'nothing' });
}

test('reads a classic dashboard', () => {
  assert.equal(parse('{"title":"A","uid":"a","panels":[]}'), { dashboard: { title: 'A', uid: 'a', panels: [] }, format: 'classic', warnings: [] });
});

test('accepts a leading UTF-8 BOM', () => {
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"title":"A","uid":"a"}')]);
  assert.equal(parseDashboardExport(withBom, SOURCE).dashboard, { title: 'A', uid: 'a' });
});

test('refuses invalid UTF-8 with line and column', () => {
  const text = new Uint8Array([...bytes('{\n  "title": "caf'), 0xe9, ...bytes('"\n}')]);
  assert.is(failure(() => parseDashboardExport(text, SOURCE)).message, 'tmp/dashboard.json:2:16: not valid UTF-8 (byte 0xe9 at offset 17).');
});

test('refuses overlong and surrogate UTF-8 forms that TextDecoder also refuses', () => {
  assert.match(failure(() => parseDashboardExport(new Uint8Array([0x7b, 0xc0, 0xaf, 0x7d]), SOURCE)).message, ':1:2: not valid UTF-8 (byte 0xc0');
  assert.match(failure(() => parseDashboardExport(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]), SOURCE)).message, ':1:2: not valid UTF-8 (byte 0xed');
});

test('refuses an empty file with the export guide', () => {
  const error = failure(() => parse(''));
  assert.is(error.message, 'tmp/dashboard.json is empty.');
  assert.is(error.hint, exportGuide(SOURCE));
});

test('refuses a whitespace-only file', () => {
  assert.is(failure(() => parse(' \n\t\r\n')).message, 'tmp/dashboard.json is empty.');
});

test('refuses text that is not JSON with line and column', () => {
  assert.is(failure(() => parse('{\n  "title": "A",\n  "uid": abc\n}')).message, 'tmp/dashboard.json:3:10: not valid JSON: unexpected character "a": expected a value.');
  assert.is(failure(() => parse('{"title": "A",}')).message, 'tmp/dashboard.json:1:15: not valid JSON: trailing comma.');
  assert.is(failure(() => parse('{"title": "A"')).message, 'tmp/dashboard.json:1:14: not valid JSON: unexpected end of input.');
  assert.is(failure(() => parse('{"a": "x\ny"}')).message, 'tmp/dashboard.json:1:9: not valid JSON: raw control character in a string (write it as \\n, \\t or \\u00XX).');
  assert.is(failure(() => parse('{} {}')).message, 'tmp/dashboard.json:1:4: not valid JSON: unexpected text after the JSON value.');
});

test('refuses an array', () => {
  assert.is(failure(() => parse('[{"title":"A","uid":"a"}]')).message, 'tmp/dashboard.json holds a JSON array, not a dashboard object.');
});

test('refuses a JSON scalar', () => {
  assert.is(failure(() => parse('"dashboard"')).message, 'tmp/dashboard.json holds a JSON string, not a dashboard object.');
  assert.is(failure(() => parse('null')).message, 'tmp/dashboard.json holds a JSON null, not a dashboard object.');
});

test('unwraps the API form {dashboard, meta}', () => {
  const result = parse('{"dashboard":{"title":"A","uid":"a"},"meta":{"slug":"a"}}');
  assert.equal(result, { dashboard: { title: 'A', uid: 'a' }, format: 'api', warnings: [] });
});

test('unwraps a dashboard.grafana.app/v1beta1 resource with a warning, taking the uid from metadata.name', () => {
  const resource = { apiVersion: 'dashboard.grafana.app/v1beta1', kind: 'Dashboard', metadata: { name: 'abc' }, spec: { title: 'A', panels: [] } };
  assert.equal(parse(JSON.stringify(resource)), {
    dashboard: { title: 'A', panels: [], uid: 'abc' },
    format: 'resource-v1',
    warnings: [
      'tmp/dashboard.json is a Grafana dashboard.grafana.app/v1beta1 resource; using its spec (the classic JSON model).',
      'The spec has no uid; using metadata.name "abc" as the uid.',
    ],
  });
});

test('refuses a v2 resource and explains how to export the classic model', () => {
  const resource = { apiVersion: 'dashboard.grafana.app/v2beta1', kind: 'Dashboard', metadata: { name: 'abc' }, spec: { title: 'A', elements: {}, layout: {} } };
  const error = failure(() => parse(JSON.stringify(resource)));
  assert.is(error.message, 'tmp/dashboard.json is a Grafana dashboard.grafana.app/v2beta1 resource (schema v2: spec.elements/spec.layout), which file provisioning does not read.');
  assert.match(error.hint ?? '', '"Classic"');
});

test('a missing file fails with the step-by-step export guide', () => {
  const dir = testdir({});
  try {
    const error = failure(() => readDashboardExport(join(dir, 'dashboard.json')));
    assert.is(error.message, `${join(dir, 'dashboard.json')} does not exist.`);
    assert.match(error.hint ?? '', 'JSON Model');
    assert.match(error.hint ?? '', `pbpaste > ${join(dir, 'dashboard.json')}`);
    assert.match(error.hint ?? '', 'xclip -selection clipboard -o');
  } finally {
    removeDir(dir);
  }
});

test('reads an existing file', () => {
  const dir = testdir({ 'dashboard.json': '{"title":"A","uid":"a"}' });
  try {
    assert.equal(readDashboardExport(join(dir, 'dashboard.json')).dashboard, { title: 'A', uid: 'a' });
  } finally {
    removeDir(dir);
  }
});

test.run();

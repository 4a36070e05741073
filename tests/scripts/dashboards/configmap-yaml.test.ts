// configmap-yaml.ts writes the ConfigMap by hand: it must print exactly what the yaml package prints.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { Document, Scalar } from 'yaml';
import { configMapYaml } from '../../../scripts/dashboards/configmap-yaml.ts';
import { FOLDER_ANNOTATION, dashboardConfigMap, withLastApplied, type ConfigMapManifest } from '../../../scripts/dashboards/configmap.ts';
import { LAST_APPLIED_KEY } from '../../../scripts/dashboards/go-json.ts';
import { dashboardJsonText } from '../../../scripts/dashboards/json-text.ts';
import { parseDashboardExport } from '../../../scripts/dashboards/read-export.ts';

const SHARED = new URL('../../../../shared/dashboards/', import.meta.url).pathname;
const header = ['Grafana dashboard "T" (uid "u"), loaded into Grafana by the', 'second line'];

// The rendering configMapYaml replaced: a yaml Document with literal blocks and a double-quoted folder.
function viaYamlPackage(manifest: ConfigMapManifest, lines: string[]): string {
  const doc = new Document(manifest);
  doc.commentBefore = lines.map((line) => ` ${line}`).join('\n');
  for (const key of Object.keys(manifest.data)) (doc.getIn(['data', key], true) as Scalar).type = Scalar.BLOCK_LITERAL;
  const annotation = doc.getIn(['metadata', 'annotations', LAST_APPLIED_KEY], true);
  if (annotation instanceof Scalar) annotation.type = Scalar.BLOCK_LITERAL;
  const folder = doc.getIn(['metadata', 'annotations', FOLDER_ANNOTATION], true);
  if (folder instanceof Scalar) folder.type = Scalar.QUOTE_DOUBLE;
  return doc.toString({ lineWidth: 0 });
}

const tricky = 'a\u2028b\u2029c\u0085d\u007fe\u0080f\ufeffg 😀 <b>&amp;</b>\t\n\r\b\f\u0000\u001b"\\ \ud800 x\udc00 ${x} \\n';
const dashboards = [
  ...readdirSync(SHARED).filter((file) => file.endsWith('.json')).map((file) => parseDashboardExport(readFileSync(SHARED + file), file).dashboard),
  { uid: 'tricky', title: tricky, panels: [{ type: 'text', options: { content: tricky } }], [tricky]: [tricky, { '': '' }] },
];
const folders = [undefined, 'Hosts', 'yes', 'null', '123', 'a "quoted" \\ folder', "it's", 'ünï 😀 \u2028', 'x\ud800y', '- x', '#x', 'a: b', '---', 'a \\n b'];

test('prints the same bytes as the yaml package for every shared dashboard, folder, minified or not, with or without last-applied', () => {
  let compared = 0;
  for (const [i, dashboard] of dashboards.entries()) {
    for (const folder of i === dashboards.length - 1 ? folders : folders.slice(0, 3)) {
      for (const minify of [false, true]) {
        const manifest = dashboardConfigMap({ name: `d${i}`, jsonText: dashboardJsonText(dashboard, { minify }), folder });
        for (const variant of [manifest, withLastApplied(manifest)]) {
          assert.fixture(configMapYaml(variant, header), viaYamlPackage(variant, header));
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 100);
});

test('quotes names and values that YAML would read as numbers, booleans or null', () => {
  const manifest = dashboardConfigMap({ name: '1e5', jsonText: '{}\n' });
  for (const value of ['1', '0x1f', '0o7', '1e5', '1.5', 'true', 'FALSE', 'Null', 'yes', 'a.b-c_d']) {
    const odd = { ...manifest, metadata: { ...manifest.metadata, name: value, labels: { [value]: value } } };
    assert.fixture(configMapYaml(odd, header), viaYamlPackage(odd, header));
  }
});

test('refuses, as a bug, text for which the yaml package would choose another style', () => {
  const manifest = dashboardConfigMap({ name: 'x', jsonText: '{}\n', folder: 'Tab\there' });
  assert.throws(() => configMapYaml(manifest, header), /no double-quoted YAML writer/);
  const spaced = dashboardConfigMap({ name: 'x', jsonText: ' {}\n' });
  assert.throws(() => configMapYaml(spaced, header), /no literal block writer/);
  const named = { ...spaced, metadata: { ...spaced.metadata, name: 'a b' } };
  assert.throws(() => configMapYaml(named, header), /no plain YAML writer for "a b"/);
});

test.run();

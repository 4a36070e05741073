import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import { readBlockYaml } from '../../../scripts/gitops/yaml-block.ts';
import { parseYamlFile } from '../../../scripts/gitops/yaml.ts';

const root = new URL('../../../', import.meta.url).pathname;

// What the `yaml` package makes of `text`: its errors, and each document's first line and value.
function reference(text: string): { errors: string[]; documents: { line: number; value: unknown }[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  const docs = Array.isArray(parsed) ? parsed : [];
  return {
    errors: docs.flatMap((d) => d.errors.map((e) => e.code)),
    documents: docs.map((d) => ({ line: lineCounter.linePos(d.contents?.range?.[0] ?? d.range[0]).line, value: d.errors.length > 0 ? undefined : d.toJS() as unknown })),
  };
}

// Whenever the reader accepts a text, the `yaml` package finds no error and the same documents.
function agrees(text: string): boolean | 'rejected' {
  const block = readBlockYaml(text);
  if (!block) return 'rejected';
  const ref = reference(text);
  return ref.errors.length === 0 && isDeepStrictEqual(block, ref.documents);
}

test('reads kustomize-style output: compact sequences, quoted values, literal blocks, documents', () => {
  const text = [
    'apiVersion: v1',
    'data:',
    '  config.yaml: |',
    '    a: 1',
    '',
    '    # kept',
    '  empty: ""',
    '  single: \'it\'\'s\'',
    'kind: ConfigMap',
    'metadata:',
    '  annotations:',
    '    kustomize.toolkit.fluxcd.io/substitute: disabled',
    '  name: x # a comment',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    spec:',
    '      containers:',
    '      - args: ["--port", "80"]',
    '        env:',
    '        - name: A',
    '          value: "1"',
    '        - name: B',
    '        image: web:1.0',
    '        ports: []',
    '      nodeSelector: {}',
    '',
  ].join('\n');
  assert.equal(readBlockYaml(text), [
    { line: 1, value: { apiVersion: 'v1', data: { 'config.yaml': 'a: 1\n\n# kept\n', empty: '', single: "it's" }, kind: 'ConfigMap', metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' }, name: 'x' } } },
    { line: 15, value: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2, template: { spec: { containers: [{ args: ['--port', '80'], env: [{ name: 'A', value: '1' }, { name: 'B' }], image: 'web:1.0', ports: [] }], nodeSelector: {} } } } } },
  ]);
});

test('resolves plain scalars as the YAML 1.2 core schema does', () => {
  const text = 'a: 010\nb: 0x1F\nc: 0o17\nd: 1.50\ne: -.inf\nf: ~\ng:\nh: True\ni: yes\nj: 1e3\nk: 12:30\nl: 2001-12-14\nm: "null"\nn: .nan\n';
  const [doc] = readBlockYaml(text)!;
  assert.equal(doc.value, { a: 10, b: 31, c: 15, d: 1.5, e: -Infinity, f: null, g: null, h: true, i: 'yes', j: 1000, k: '12:30', l: '2001-12-14', m: 'null', n: Number.NaN });
});

test('chomps literal block scalars (clip, strip, keep) and keeps deeper indentation', () => {
  const text = 'clip: |\n  x\n    y\n\nstrip: |-\n  x\n\nkeep: |+\n  x\n\n\nlist:\n- |\n  z\n';
  assert.equal(readBlockYaml(text)![0].value, { clip: 'x\n  y\n', strip: 'x', keep: 'x\n\n\n', list: ['z\n'] });
});

test('reads a double-quoted string kustomize folds over several lines', () => {
  const text = 'metadata:\n  annotations:\n    last: "{\\"a\\":\n      \\"b\\"}\\n\n      \\ tail"\n  name: x\n';
  assert.equal(readBlockYaml(text)![0].value, { metadata: { annotations: { last: '{"a": "b"}\n  tail' }, name: 'x' } });
});

test('keeps Unicode spaces as content, as YAML does (only spaces separate)', () => {
  const texts = ['a: \u00a0x\n', 'a: x\u00a0\n', 'a: x\u3000\n', 'a: \ufeffx\n', 'a: \u00a0\n', '- \u00a0x\n', 'a:\n  - \u00a0\n'];
  assert.equal(texts.map((text) => readBlockYaml(text)?.[0].value), [
    { a: '\u00a0x' }, { a: 'x\u00a0' }, { a: 'x\u3000' }, { a: '\ufeffx' }, { a: '\u00a0' }, ['\u00a0x'], { a: ['\u00a0'] },
  ]);
  assert.equal(texts.map(agrees), texts.map(() => true));
  // After a block scalar's indicator or a closing quote, a Unicode space is an error for yaml.
  assert.equal(['a: | \u00a0\n  x\n', 'a: "x" \u00a0\n'].map((text) => readBlockYaml(text)), [undefined, undefined]);
});

test('a folded double-quoted string with escapes at its line ends reads as yaml reads it', () => {
  const texts = ['a: "x\\\n  y\\ \n  z"\n', 'a: "x \\\n\n  \\"q\\"\\\n  end"\nb: 1\n', "a: 'it''s\n  folded''\n  '\n"];
  assert.equal(texts.map(agrees), [true, true, true]);
  assert.equal(readBlockYaml(texts[0])![0].value, { a: 'xy  z' });
});

test('leaves everything outside its subset to the yaml package', () => {
  const outside = {
    anchor: 'a: &x 1\nb: *x\n',
    tag: 'a: !!str 1\n',
    folded: 'a: >\n  x\n',
    indicator: 'a: |2\n   x\n',
    'duplicate key': 'a: 1\na: 2\n',
    tab: 'a:\tb\n',
    'multi-line plain scalar': 'a: b\n  c\n',
    'empty document': 'a: 1\n---\n',
    'scalar document': 'just text\n',
    'nested compact mapping': 'a: b: c\n',
    'complex key': '? a\n: b\n',
    'numeric key': '1: a\n',
    'bad indentation': 'a:\n    b: 1\n  c: 2\n',
    'unclosed quote': 'a: "b\n',
    'document end marker': 'a: 1\n...\n',
    directive: '%YAML 1.2\n---\na: 1\n',
    'carriage return': 'a: 1\r\n',
  };
  for (const [name, text] of Object.entries(outside)) assert.is(readBlockYaml(text), undefined, name);
});

test('parseYamlFile gives positions for a document read by the block reader', () => {
  const text = 'kind: A\nspec:\n  list:\n  - x\n  - name: y\n';
  assert.ok(readBlockYaml(text));
  const parsed = parseYamlFile('a.yaml', text);
  assert.equal(parsed.documents, [{ index: 0, line: 1, value: { kind: 'A', spec: { list: ['x', { name: 'y' }] } } }]);
  assert.is(parsed.lineOf(0, ['spec', 'list', 1, 'name']), 5);
});

test('reads every YAML file of the repository as the yaml package does, none left to it', () => {
  const files = String(execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root })).trim().split('\n');
  assert.ok(files.length > 50);
  const results = files.map((file) => [file, agrees(readFileSync(`${root}${file}`, 'utf8'))]);
  assert.equal(results.filter(([, ok]) => ok !== true), []);
});

test('agrees with the yaml package on generated and damaged YAML', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const scalars = ['a', 'true', 'yes', 'null', '~', '', '1', '01', '0x1F', '1e3', '.5', '-.inf', 'a: b', 'a #b', 'a#b', '#a', '- a', '-a', 'x:', 'http://x:80/y', '"q"', "it's", 'l1\nl2', 'l1\nl2\n', 'l1\n\n', '\nlead', '  in\nx', 'trail ', 'é 日本', '{a}', '[a]', '&a', '*a', '!t', '%x', '@x', '|', '>', 'a\\b', 'x\u2028y', '${VAR}', '---', 'x\n---\ny', 'a '.repeat(30), '\u00a0', 'x\u00a0', '\u3000y', ' \u00a0 '];
  const keys = ['a', 'app.kubernetes.io/name', '1', 'true', 'x y', 'a:b', '$patch', '-x', '"q"', 'k#', 'data.json', 'é', ''];
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 3 || r < 0.45) return random() < 0.7 ? pick(scalars) : random() < 0.5 ? Math.floor(random() * 1000) : null;
    if (r < 0.7) return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [pick(keys) + (random() < 0.5 ? '' : String(i)), value(depth + 1)]));
    return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
  };
  const counts = { accepted: 0, rejected: 0 };
  const disagreements: string[] = [];
  const check = (text: string) => {
    const result = agrees(text);
    if (result === 'rejected') counts.rejected++;
    else if (result) counts.accepted++;
    else disagreements.push(text);
  };
  for (let i = 0; i < 600; i++) {
    const options = { indentSeq: random() < 0.5, lineWidth: pick([0, 20, 80]), defaultStringType: pick(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL'] as const) };
    let text = Array.from({ length: 1 + Math.floor(random() * 3) }, () => stringify({ k: value(0), v: value(0) }, options)).join(pick(['---\n', '---\n# c\n']));
    check(text);
    for (let m = 0; m < 4; m++) {
      const lines = text.split('\n');
      const at = Math.floor(random() * lines.length);
      const column = Math.floor(random() * (lines[at].length + 1));
      const edits = [
        () => lines.splice(at, 0, pick(lines)),
        () => (lines[at] = ` ${lines[at]}`),
        () => (lines[at] = lines[at].replace(/^ {1,2}/, '')),
        () => lines.splice(at, 0, pick(['', '  ', '# c', '---', '...', '- x', '  x'])),
        () => (lines[at] += pick([' #c', ':', ': x', ' ', '"', ' |', '-'])),
        () => lines.splice(at, 1),
        () => (lines[at] = lines[at].slice(0, column) + pick([':', ' ', '#', '"', "'", '-', '\\', '|', '[', ',', '&', '\u00a0']) + lines[at].slice(column)),
      ];
      pick(edits)();
      text = lines.join('\n');
      check(text);
    }
  }
  assert.equal(disagreements, []);
  // Both sides are exercised: a reader that rejected everything would agree vacuously.
  assert.ok(counts.accepted > 500, `accepted ${counts.accepted}`);
  assert.ok(counts.rejected > 500, `rejected ${counts.rejected}`);
});

test.run();

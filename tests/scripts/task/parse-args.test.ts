import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineTask } from '../../../scripts/task/define.ts';
import { parseArgs } from '../../../scripts/task/parse-args.ts';

const task = defineTask({
  name: 'demo',
  summary: 'demo',
  arguments: [{ name: 'name', description: 'a name', required: true }],
  options: {
    file: { type: 'string', description: 'input file', default: 'tmp/x.json' },
    restart: { type: 'boolean', description: 'restart', default: true },
    timeout: { type: 'integer', description: 'seconds' },
  },
  cluster: true,
  run: async () => {},
});

test('reads positionals, --key value, --key=value and booleans', () => {
  assert.equal(parseArgs(task, ['grafana', '--file', 'a.json', '--timeout=30', '--dry-run']), {
    values: { file: 'a.json', timeout: '30', dryRun: true },
    positionals: ['grafana'],
  });
});

test('turns --no-<flag> into false and -h into help', () => {
  assert.equal(parseArgs(task, ['--no-restart', '-h']).values, { restart: false, help: true });
});

test('accepts --flag=false for booleans and refuses other values', () => {
  assert.equal(parseArgs(task, ['--yes=false']).values, { yes: false });
  assert.throws(() => parseArgs(task, ['--yes=maybe']), /--yes takes no value or =true\/=false, got "maybe"/);
});

test('takes everything after -- as positionals', () => {
  assert.equal(parseArgs(task, ['--', '--file']).positionals, ['--file']);
});

test('refuses an unknown option and suggests the near one', () => {
  assert.throws(() => parseArgs(task, ['--dry-rn']), (e: Error) => e.name === 'UsageError' && e.message === 'unknown option --dry-rn (did you mean --dry-run?)');
  assert.throws(() => parseArgs(task, ['--zzzzzz']), (e: Error) => e.message === 'unknown option --zzzzzz');
  assert.throws(() => parseArgs(task, ['-x']), (e: Error) => e.message === 'unknown option -x');
});

test('refuses a value option at the end of argv', () => {
  assert.throws(() => parseArgs(task, ['--file']), (e: Error) => e.name === 'UsageError' && e.message === '--file needs a value');
});

test('gives --context only to tasks that touch a cluster', () => {
  assert.equal(parseArgs(task, ['--context', 'prod']).values, { context: 'prod' });
  const local = defineTask({ name: 'local', summary: 's', run: async () => {} });
  assert.throws(() => parseArgs(local, ['--context', 'prod']), /unknown option --context/);
});

test('collects a repeatable option into a list, validated and defaulted to []', async () => {
  const { validateArgs } = await import('../../../scripts/task/validate.ts');
  const repeat = defineTask({
    name: 'r',
    summary: 's',
    arguments: [{ name: 'cluster', description: 'c', variadic: true }],
    options: { kustomization: { type: 'string', description: 'k', multiple: true, choices: ['a', 'b'] } },
    run: async () => {},
  });
  const raw = parseArgs(repeat, ['x', '--kustomization', 'a', 'y', '--kustomization=b']);
  assert.equal(raw, { values: { kustomization: ['a', 'b'] }, positionals: ['x', 'y'] });
  assert.equal(validateArgs(repeat, raw).kustomization, ['a', 'b']);
  assert.equal(validateArgs(repeat, raw).cluster, ['x', 'y']);
  assert.equal(validateArgs(repeat, parseArgs(repeat, [])).kustomization, []);
  assert.throws(() => validateArgs(repeat, parseArgs(repeat, ['--kustomization', 'c'])), /--kustomization must be one of: a, b/);
});

test('a read-only task takes no --dry-run or --yes', () => {
  const check = defineTask({ name: 'check', summary: 's', readOnly: true, run: async () => {} });
  assert.throws(() => parseArgs(check, ['--dry-run']), (e: Error) => e.name === 'UsageError' && e.message === 'unknown option --dry-run');
  assert.throws(() => parseArgs(check, ['--yes']), (e: Error) => e.name === 'UsageError' && e.message === 'unknown option --yes');
  assert.equal(parseArgs(check, ['--verbose']), { values: { verbose: true }, positionals: [] });
});

test('an option with a value when bare takes the next word as its value, or that value alone', () => {
  const changed = defineTask({ name: 'c', summary: 's', arguments: [{ name: 'cluster', description: 'c', variadic: true }], options: { changed: { type: 'string', description: 'd', valueWhenBare: '' } }, run: async () => {} });
  assert.equal(parseArgs(changed, ['staging', '--changed']), { values: { changed: '' }, positionals: ['staging'] });
  assert.equal(parseArgs(changed, ['--changed', '--dry-run']), { values: { changed: '', dryRun: true }, positionals: [] });
  assert.equal(parseArgs(changed, ['--changed', 'origin/main', 'staging']), { values: { changed: 'origin/main' }, positionals: ['staging'] });
});

test.run();

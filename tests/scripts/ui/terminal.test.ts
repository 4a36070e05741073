import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { colorEnabled, createUi, isInteractive } from '../../../scripts/ui/terminal.ts';
import { createMasker } from '../../../scripts/core/mask.ts';
import { chooseRenderer } from '../../../scripts/ui/steps.ts';

function ui(options: { quiet?: boolean; tty?: boolean; env?: Record<string, string> } = {}) {
  let out = '';
  let err = '';
  const masker = createMasker();
  masker.add('s3cr3t');
  const terminal = createUi({
    stdout: { write: (t: string) => (out += t), isTTY: options.tty },
    stderr: { write: (t: string) => (err += t), isTTY: options.tty },
    env: options.env ?? {},
    quiet: options.quiet ?? false,
    verbose: false,
    masker,
  });
  return { terminal, out: () => out, err: () => err };
}

test('colours only on a terminal without NO_COLOR, or with FORCE_COLOR', () => {
  assert.is(colorEnabled({ write() {}, isTTY: true }, {}), true);
  assert.is(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' }), false);
  assert.is(colorEnabled({ write() {}, isTTY: false }, {}), false);
  assert.is(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.is(colorEnabled({ write() {}, isTTY: true }, { TERM: 'dumb' }), false);
});

test('results go to stdout, progress to stderr, secrets masked', () => {
  const { terminal, out, err } = ui();
  terminal.result('token s3cr3t');
  terminal.info('applying');
  terminal.success('done');
  terminal.warn('careful');
  assert.is(out(), 'token ***\n');
  assert.is(err(), 'applying\n✔ done\n⚠ careful\n');
});

test('--quiet keeps results, warnings, the dry-run plan and errors only', () => {
  const { terminal, out, err } = ui({ quiet: true });
  terminal.info('info');
  terminal.command('kubectl get x');
  terminal.wouldRun('kubectl apply -f x');
  terminal.warn('w');
  terminal.error('e');
  assert.is(out(), 'would run: kubectl apply -f x\n');
  assert.is(err(), '⚠ w\ne\n');
});

test('paints with ANSI codes on a terminal', () => {
  const { terminal, err } = ui({ tty: true });
  terminal.success('ok');
  assert.is(err(), '\x1b[32m✔\x1b[39m ok\n');
});

test('picks the listr2 renderer from terminal, CI, quiet and tests', () => {
  assert.is(chooseRenderer({ quiet: false, isTTY: true, env: {} }), 'default');
  assert.is(chooseRenderer({ quiet: false, isTTY: false, env: {} }), 'simple');
  assert.is(chooseRenderer({ quiet: false, isTTY: true, env: { CI: 'true' } }), 'simple');
  assert.is(chooseRenderer({ quiet: true, isTTY: true, env: {} }), 'silent');
  assert.is(chooseRenderer({ quiet: false, isTTY: true, env: { NODE_ENV: 'test' } }), 'test');
});

test('asks questions only with terminals on stdin and stderr and no CI', () => {
  assert.is(isInteractive({}, { isTTY: true }, { isTTY: true }), true);
  assert.is(isInteractive({}, { isTTY: false }, { isTTY: true }), false);
  assert.is(isInteractive({ CI: '1' }, { isTTY: true }, { isTTY: true }), false);
  assert.is(isInteractive({ CI: 'false' }, { isTTY: true }, { isTTY: true }), true);
});

test.run();

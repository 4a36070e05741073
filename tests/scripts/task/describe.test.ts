import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineTask } from '../../../scripts/task/define.ts';
import { describeTask, helpText, usageLine } from '../../../scripts/task/describe.ts';
import { formatTaskList } from '../../../scripts/task/registry.ts';

const task = defineTask({
  name: 'demo',
  summary: 'do a demo',
  description: 'Longer words.',
  arguments: [{ name: 'name', description: 'a name', required: true }, { name: 'extra', description: 'more' }],
  options: {
    category: { type: 'string', description: 'category', default: 'auto', choices: ['auto', 'loki'] },
    restart: { type: 'boolean', description: 'restart Grafana', default: true },
    file: { type: 'string', description: 'input', placeholder: 'path' },
  },
  cluster: true,
  examples: ['grafana --dry-run'],
  run: async () => {},
});

test('builds the usage line from the arguments', () => {
  assert.is(usageLine(task), 'npx zx tasks/demo.ts <name> [extra] [options]');
});

test('prints help with arguments, options, defaults and examples', () => {
  assert.is(
    helpText(task),
    [
      'demo — do a demo',
      '',
      'Usage: npx zx tasks/demo.ts <name> [extra] [options]',
      '',
      'Longer words.',
      '',
      'Arguments:',
      '  <name>   a name',
      '  <extra>  more (optional)',
      '',
      'Options:',
      '  --category <auto|loki>  category (default: auto)',
      '  --no-restart            restart Grafana',
      '  --file <path>           input',
      '  --dry-run               show every command that would change something, run none of them',
      '  --yes                   answer yes to confirmations (needed without a terminal)',
      '  --verbose               show the output of every command',
      '  --quiet                 print only errors and results',
      '  --help                  show this help',
      '  --context <name>        kube context to use (default: the current context)',
      '',
      'Examples:',
      '  npx zx tasks/demo.ts grafana --dry-run',
      '',
    ].join('\n'),
  );
});

test('describes a task as JSON with types, defaults and choices', () => {
  const description = describeTask(task);
  assert.equal(description.arguments, [
    { name: 'name', description: 'a name', required: true },
    { name: 'extra', description: 'more', required: false },
  ]);
  assert.equal(description.options.slice(0, 3), [
    { name: 'category', flag: '--category', type: 'string', description: 'category', default: 'auto', choices: ['auto', 'loki'] },
    { name: 'restart', flag: '--no-restart', type: 'boolean', description: 'restart Grafana', default: true },
    { name: 'file', flag: '--file', type: 'string', description: 'input' },
  ]);
  assert.equal(description.options.map((o) => o.flag).slice(3), ['--dry-run', '--yes', '--verbose', '--quiet', '--help', '--context']);
});

test('lists tasks aligned like just --list', () => {
  const other = defineTask({ name: 'status', summary: 'show status', run: async () => {} });
  assert.is(
    formatTaskList([task, other]),
    'Tasks (npx zx tasks/<task>.ts --help for the options of one):\n' +
      '  npx zx tasks/demo.ts <name> [extra] [options]  # do a demo\n' +
      '  npx zx tasks/status.ts [options]               # show status\n',
  );
});

test.run();

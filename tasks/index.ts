// Lists every task with its usage and summary (like `just --list`); --json for tools. At a
// terminal it also offers to run one: pick a task (or command), answer its questions, and it runs.
import { fileURLToPath } from 'node:url';
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';

const task = defineTask({
  name: 'index',
  summary: 'list the tasks of this repository with their usage (at a terminal: pick one to run)',
  options: {
    json: { type: 'boolean', description: 'print the list as JSON (name, summary, arguments, options, commands)' },
    list: { type: 'boolean', description: 'only list the tasks, even at a terminal' },
  },
  examples: ['--json', '--list'],
  load: () => import('../scripts/task/registry.ts'),
  async run(options, context, { formatTaskList, loadTasks, taskListJson, pickAndRun }) {
    const tasks = await loadTasks(fileURLToPath(new URL('.', import.meta.url)), ['index']);
    if (options.json) return context.ui.result(JSON.stringify(taskListJson(tasks), null, 2));
    if (options.list || !context.interactive) return context.ui.result(formatTaskList(tasks).trimEnd());
    return pickAndRun(tasks, context);
  },
});

export default task;
await runIfMain(task, import.meta.url);

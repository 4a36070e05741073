// Finds the tasks: every tasks/<name>.ts that exports a task definition. The index is built from
// these definitions, never from a hand-kept table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runnablesOf, type AnyTask } from './define.ts';
import { describeTask, usageLine, type TaskDescription } from './describe.ts';
import type { TaskContext } from './context.ts';

// The task files' names in `tasksDir` (sorted), without `exclude`.
export function taskNames(tasksDir: string, exclude: readonly string[] = []): string[] {
  return readdirSync(tasksDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -3))
    .filter((name) => !exclude.includes(name))
    .sort();
}

// Loads every task definition in `tasksDir` (sorted by name), skipping `exclude`.
export async function loadTasks(tasksDir: string, exclude: readonly string[] = []): Promise<AnyTask[]> {
  const names = taskNames(tasksDir, exclude);
  const modules = await Promise.all(names.map((name) => import(pathToFileURL(join(tasksDir, `${name}.ts`)).href)));
  return modules.map((module, i) => {
    const task = module.default as AnyTask | undefined;
    const runs = task && (task.commands ? Object.values(task.commands).every((c) => typeof c.run === 'function') : typeof task.run === 'function');
    if (!task || !runs || task.name !== names[i]) {
      throw new Error(`tasks/${names[i]}.ts must export default a task named "${names[i]}" (defineTask)`);
    }
    return task;
  });
}

// The text list of tasks, like `just --list`: usage and one-line summary each; a task with
// commands has a line per command.
export function formatTaskList(tasks: readonly AnyTask[]): string {
  const rows = tasks.flatMap((task) => runnablesOf(task)).map((runnable) => ({ usage: usageLine(runnable), summary: runnable.summary }));
  const width = Math.max(0, ...rows.map((row) => row.usage.length));
  const lines = ['Tasks (npx zx tasks/<task>.ts --help for the options of one):'];
  for (const row of rows) lines.push(`  ${row.usage.padEnd(width)}  # ${row.summary}`);
  return lines.join('\n') + '\n';
}

// The JSON list of tasks (name, summary, usage, arguments, options with types, defaults, choices;
// `commands` for a task with commands).
export function taskListJson(tasks: readonly AnyTask[]): TaskDescription[] {
  return tasks.map((task) => describeTask(task));
}

// At a terminal: asks which task (or command) to run, then runs it in this process with the same
// terminal; it asks for its own missing arguments. Resolves to its exit code.
export async function pickAndRun(tasks: readonly AnyTask[], context: TaskContext): Promise<number> {
  const runnables = tasks.flatMap((task) => runnablesOf(task));
  const choices = runnables.map((runnable, i) => ({
    title: runnable.command ? `${runnable.name} ${runnable.command}` : runnable.name,
    value: String(i),
    description: runnable.summary,
  }));
  const picked = runnables[Number(await context.ask.select('Which task?', choices, '--list (or name the task: npx zx tasks/<task>.ts)'))];
  const task = tasks.find((t) => t.name === picked.name)!;
  const { runTask } = await import('./run-task.ts');
  // The picked task follows this run's Ctrl-C rather than owning its own.
  return runTask(task, picked.command ? [picked.command] : [], { ...context.io, signal: context.signal });
}

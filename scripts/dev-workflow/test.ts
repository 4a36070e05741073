// dev-workflow test and diff: build what Flux would build, show the server-side diff, apply it
// server-side (recording the objects it creates, so finish and abort can remove them), and with
// --watch do it again on every save.
import { statSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { TaskError } from '../core/errors.ts';
import type { TaskContext } from '../task/context.ts';
import { applyServerSide, missingObjects, objectKey, serverDiff } from './apply.ts';
import { buildPath, repoPath } from './build.ts';
import { openWorkflow, requireContext, type Workflow } from './open.ts';
import { objectRef } from './session.ts';

export type TestOptions = { path: string; watch: boolean };

// Builds, diffs and applies `path` once; with --watch, again after every change until Ctrl-C.
export async function test(options: TestOptions, context: TaskContext): Promise<void> {
  const workflow = openWorkflow(context, { session: 'required' });
  requireContext(workflow);
  const path = repoPath(context.cwd, context.invocationDir, options.path);
  await applyOnce(workflow, path);
  if (options.watch) await watchAndApply(workflow, path);
}

async function applyOnce(workflow: Workflow, path: string): Promise<void> {
  const { context, kubectl, store } = workflow;
  const session = workflow.session!;
  const built = await buildPath(context.cwd, path, context.runner);
  context.ui.info(`built ${path} (${built.how}): ${built.objects.length} object${built.objects.length === 1 ? '' : 's'}`);
  const diff = await serverDiff(kubectl, built.yaml);
  context.ui.result(diff.trim() ? diff.trimEnd() : `${path}: no changes against the cluster`);
  if (!diff.trim()) return;
  const missing = await missingObjects(kubectl, built.objects, built.yaml);
  // NOTE: recorded before the apply: a crash after it must not leave created objects unknown.
  const known = new Set(session.created.map(objectKey));
  const created = missing.filter((o) => !known.has(objectKey(o)));
  if (created.length || !session.tested.includes(path)) {
    session.created.push(...created);
    if (!session.tested.includes(path)) session.tested.push(path);
    store.save(session, `test ${path}: will create ${created.map(objectRef).join(', ') || 'nothing new'}`);
  }
  const applied = await applyServerSide(kubectl, built.yaml);
  context.ui.result(context.dryRun ? `${path}: would be applied` : applied);
}

// Applies again after each save (changes within 200 ms are one save) until Ctrl-C; a failing
// build or apply is reported and watching goes on.
async function watchAndApply(workflow: Workflow, path: string): Promise<void> {
  const { context } = workflow;
  const full = resolve(context.cwd, path);
  await new Promise<void>((done) => {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    // A file is watched through its folder: editors that save by rename replace the file itself.
    const file = statSync(full).isFile() ? basename(full) : undefined;
    const watcher = watch(file ? dirname(full) : full, { recursive: !file }, (_event, name) => {
      if (file && name !== file) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(async () => {
          if (context.signal.aborted) return;
          try {
            await applyOnce(workflow, path);
          } catch (error) {
            if (!(error instanceof TaskError) || context.signal.aborted) return;
            context.ui.warn(`${error.message}${error.details ? `\n${error.details}` : ''}${error.hint ? `\nnext: ${error.hint}` : ''}`);
          }
          context.ui.info(`watching ${path} (Ctrl-C stops)`);
        });
      }, 200);
    });
    // Said once the watcher is in place: a save from then on is seen.
    context.ui.info(`watching ${path}: every save is applied (Ctrl-C stops watching; the session stays)`);
    context.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      watcher.close();
      void running.finally(() => {
        context.ui.info('stopped watching; the session is still active');
        done();
      });
    }, { once: true });
  });
}

// dev-workflow diff: the live-vs-local diff of `path`; exit 0 without changes, 1 with.
export async function diff(options: { path: string }, context: TaskContext): Promise<number> {
  const workflow = openWorkflow(context, { session: 'optional' });
  requireContext(workflow);
  const path = repoPath(context.cwd, context.invocationDir, options.path);
  const built = await buildPath(context.cwd, path, context.runner);
  const text = await serverDiff(workflow.kubectl, built.yaml);
  context.ui.result(text.trim() ? text.trimEnd() : `${path}: no changes against the cluster`);
  return text.trim() ? 1 : 0;
}

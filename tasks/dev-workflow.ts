// Pause Flux, iterate against the cluster, finish with one clean commit — and never leave Flux
// paused or the cluster littered by accident. Replaces scripts/dev-workflow.sh.
import { defineCommand, defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';

const timeout = { type: 'integer', description: 'seconds to wait for each resumed object to be Ready', default: 300, minimum: 1, placeholder: 'seconds' } as const;

const task = defineTask({
  name: 'dev-workflow',
  summary: 'pause Flux while you iterate on the cluster, then finish with one commit and Flux resumed',
  description: [
    'A session: start pauses the Flux objects you work on (suspend, annotated with who, why, when) on a',
    'dev/<slug> branch; test applies your files server-side as Flux would build them; checkpoint commits;',
    'finish validates, squashes into one conventional commit, removes what test created that the tree no',
    'longer has, and resumes Flux in dependsOn order. The session is kept in tmp/dev-workflow/ and every',
    'run warns while Flux is paused. At a terminal without a command it shows the session and asks.',
  ].join('\n'),
  examples: ['start "raise loki retention" --kustomization flux-system/infra-logging', 'test infrastructure/logging --watch', 'finish "fix(logging): raise loki retention" --push'],
  prelude: async (root) => (await import('../scripts/dev-workflow/session.ts')).describeSession(root),
  commands: {
    start: defineCommand({
      summary: 'start a session: a dev/<slug> branch, and Flux paused for what you work on',
      arguments: [{ name: 'description', description: 'what you are working on', required: true }],
      options: {
        kustomization: { type: 'string', multiple: true, description: 'a Flux Kustomization to pause, <namespace>/<name> or <name> (flux-system); repeatable', placeholder: 'ns/name' },
        all: { type: 'boolean', description: 'pause every Kustomization and HelmRelease in every namespace' },
        base: { type: 'string', description: 'branch to start from (default: the current branch)', placeholder: 'branch' },
        stash: { type: 'boolean', description: 'stash uncommitted changes instead of refusing to start' },
      },
      cluster: true,
      load: () => import('../scripts/dev-workflow/start.ts'),
      run: async (options, context, { start }) => void (await start(options, context)),
    }),
    test: defineCommand({
      summary: 'build a file or directory as Flux would, show the server-side diff, apply it server-side',
      arguments: [{ name: 'path', description: 'file or directory to apply (relative to where you are)', required: true }],
      options: { watch: { type: 'boolean', description: 'apply again on every save until Ctrl-C (the session stays)' } },
      cluster: true,
      load: () => import('../scripts/dev-workflow/test.ts'),
      run: (options, context, { test }) => test(options, context),
    }),
    diff: defineCommand({
      summary: 'the live-vs-local diff of a file or directory (exit 0 no change, 1 changes)',
      arguments: [{ name: 'path', description: 'file or directory (relative to where you are)', required: true }],
      cluster: true,
      load: () => import('../scripts/dev-workflow/test.ts'),
      run: (options, context, { diff }) => diff(options, context),
    }),
    checkpoint: defineCommand({
      summary: 'commit everything so far on the session branch (no plaintext Secrets)',
      arguments: [{ name: 'message', description: 'what this checkpoint holds', required: true }],
      load: () => import('../scripts/dev-workflow/checkpoint.ts'),
      run: async (options, context, { checkpoint }) => void (await checkpoint(options, context)),
    }),
    status: defineCommand({
      summary: 'the session, and every Flux object suspended in the cluster that no session accounts for',
      cluster: true,
      needsCluster: () => true,
      load: () => import('../scripts/dev-workflow/status.ts'),
      run: (_, context, { status }) => status(context),
    }),
    finish: defineCommand({
      summary: 'validate, squash into one conventional commit, clean up, resume Flux in dependsOn order',
      arguments: [{ name: 'message', description: 'the commit message, a conventional commit ("fix(logging): …")', required: true }],
      options: {
        push: { type: 'boolean', description: 'push the branch to origin' },
        pr: { type: 'boolean', description: 'push and open a pull request with gh (or print the compare URL)' },
        timeout,
      },
      cluster: true,
      load: () => import('../scripts/dev-workflow/finish.ts'),
      run: (options, context, { finish }) => finish(options, context),
    }),
    abort: defineCommand({
      summary: 'end the session without its work: remove what test created, resume Flux, back to the base branch',
      options: { timeout },
      cluster: true,
      load: () => import('../scripts/dev-workflow/finish.ts'),
      run: (options, context, { abort }) => abort(options, context),
    }),
    resume: defineCommand({
      summary: 'resume what the session paused now, and keep the session',
      options: { timeout },
      cluster: true,
      load: () => import('../scripts/dev-workflow/finish.ts'),
      run: (options, context, { resume }) => resume(options, context),
    }),
  },
});

export default task;
await runIfMain(task, import.meta.url);

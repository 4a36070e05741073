// Multi-step runs drawn with listr2, loaded only when a task has steps. The renderer follows the
// terminal: an animated list on a TTY, plain lines without one or in CI, nothing under --quiet,
// and listr2's deterministic `test` renderer in tests.
import type { Ui } from './terminal.ts';

export type Step = {
  title: string;
  // Runs the step; a returned string replaces the title when it is done ("applied: configured").
  run: () => Promise<string | void>;
  // A reason to skip the step, or false.
  skip?: () => string | false;
};

export type RendererName = 'default' | 'simple' | 'silent' | 'test';

// Picks the listr2 renderer for this run.
export function chooseRenderer(options: { quiet: boolean; isTTY: boolean; env: Record<string, string | undefined> }): RendererName {
  if (options.quiet) return 'silent';
  if (options.env.NODE_ENV === 'test') return 'test';
  const ci = options.env.CI !== undefined && options.env.CI !== '' && options.env.CI !== 'false';
  return options.isTTY && !ci && options.env.TERM !== 'dumb' ? 'default' : 'simple';
}

// Runs steps in order, stopping at the first failure (its error is rethrown unchanged).
export async function runSteps(ui: Ui, steps: readonly Step[], renderer: RendererName): Promise<void> {
  if (!steps.length) return;
  const { Listr, ListrLogger, ProcessOutput, createWritable } = await import('listr2');
  // Plain renderers write through the terminal module (stderr, masked), never to stdout: stdout
  // carries results. The animated one draws on the real terminal it was chosen for.
  const sink = createWritable((chunk: string) => ui.writeProgress(chunk)) as unknown as NodeJS.WriteStream;
  const logger = new ListrLogger({ processOutput: new ProcessOutput(sink, sink), useIcons: ui.color });
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      skip: () => step.skip?.() ?? false,
      task: async (_: unknown, task: { title: string; output: string | undefined }) => {
        if (renderer === 'default') ui.setSink((text) => (task.output = text));
        try {
          const title = await step.run();
          if (title) task.title = title;
        } finally {
          ui.setSink(undefined);
        }
      },
    })),
    {
      renderer,
      exitOnError: true,
      collectErrors: false,
      // NOTE: the task runner owns Ctrl-C; listr2's own handler would exit 127 mid-step.
      registerSignalListeners: false,
      rendererOptions: renderer === 'default' ? { outputBar: Infinity, persistentOutput: true, collapseSubtasks: false } : { logger },
      fallbackRenderer: 'simple',
    } as never,
  );
  await list.run();
}

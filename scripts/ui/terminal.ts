// The one module that writes to the terminal. Results go to stdout; progress, echoed commands,
// warnings and errors go to stderr (as the flux CLI does), so stdout stays pipeable.
// Every line passes through the secret masker.
import type { Masker } from '../core/mask.ts';

export type Stream = { write(text: string): unknown; isTTY?: boolean };

export type UiOptions = {
  stdout: Stream;
  stderr: Stream;
  env: Record<string, string | undefined>;
  quiet: boolean;
  verbose: boolean;
  masker: Masker;
};

export type Ui = {
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  // A result the user asked for (always printed, on stdout).
  result(text: string): void;
  // Progress and information (stderr; hidden by --quiet).
  info(text: string): void;
  // Something done, e.g. an undo step that worked (stderr; hidden by --quiet).
  success(text: string): void;
  // A warning (stderr; shown even with --quiet).
  warn(text: string): void;
  // The exact command about to run, with its flux CLI equivalent when there is one.
  command(display: string, equivalent?: string): void;
  // A command or write that --dry-run skipped (stdout: under --dry-run the plan is the result).
  wouldRun(display: string): void;
  // A command's own output, shown with --verbose.
  output(text: string): void;
  // A failure, and what is left to do after it (stderr, always).
  error(text: string): void;
  mask(text: string): string;
  paint: Paint;
  // While a step list is drawn on a terminal, progress lines go to it instead of stderr.
  setSink(sink: ((text: string) => void) | undefined): void;
  // Raw progress text (a step renderer's own lines) to stderr, masked; nothing under --quiet.
  writeProgress(text: string): void;
};

export type Paint = Record<'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', (text: string) => string>;

// Colour only on a terminal, never with NO_COLOR; FORCE_COLOR forces it on (or off with 0).
export function colorEnabled(stream: Stream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

// Whether questions can be asked: stdin and stderr are terminals and CI is not set.
export function isInteractive(env: Record<string, string | undefined>, stdin: { isTTY?: boolean }, stderr: { isTTY?: boolean }): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stdin.isTTY === true && stderr.isTTY === true && !ci;
}

function createPaint(color: boolean): Paint {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

// Creates the terminal writer for one task run.
export function createUi(options: UiOptions): Ui {
  const { stdout, stderr, quiet, verbose, masker } = options;
  const color = colorEnabled(stderr, options.env);
  const paint = createPaint(color);
  const line = (stream: Stream, text: string) => stream.write(masker.mask(text).replace(/\n?$/, '\n'));
  let sink: ((text: string) => void) | undefined;
  const progress = (text: string) => {
    if (quiet) return;
    if (sink) sink(masker.mask(text));
    else line(stderr, text);
  };
  return {
    quiet,
    verbose,
    color,
    paint,
    mask: (text) => masker.mask(text),
    result: (text) => line(stdout, text),
    info: progress,
    success: (text) => progress(`${paint.green('✔')} ${text}`),
    warn: (text) => line(stderr, `${paint.yellow('⚠')} ${text}`),
    command: (display, equivalent) =>
      progress(paint.dim('$ ') + display + (equivalent ? paint.dim(`   # ${equivalent}`) : '')),
    wouldRun: (display) => line(stdout, `would run: ${display}`),
    output: (text) => {
      if (verbose && text.trim()) line(stderr, text.trimEnd().replace(/^/gm, '  │ '));
    },
    error: (text) => line(stderr, text),
    writeProgress: (text) => {
      if (!quiet) stderr.write(masker.mask(text));
    },
    setSink: (next) => {
      sink = next;
    },
  };
}

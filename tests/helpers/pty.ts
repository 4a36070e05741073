// A real pseudo-terminal for interactive tests: the command runs in a detached tmux session (a
// private tmux server per test process), keys are sent as a person types them, and the screen is
// read back. Waits are for screen content, never fixed sleeps.
//
// tmux ends its server when the last session closes, and a `new-session` that reaches the server
// while it is shutting down fails with "server exited unexpectedly". So the server is started once
// with a session that stays (`keep`) and is ended when the test process exits.
import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../scripts/exec/format-command.ts';

export type Pty = {
  // Sends keys: text, or tmux key names such as Enter, Down, C-c.
  keys(...keys: string[]): void;
  // Types text literally (no key names).
  type(text: string): void;
  // The screen as plain text.
  screen(): string;
  // Resolves once the screen matches; fails with the screen after `timeoutMs`.
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  // Resolves with the command's exit code once it ended.
  exitCode(timeoutMs?: number): Promise<number>;
  close(): void;
};

const SOCKET = `gitops-tasks-tests-${process.pid}`;
let sessions = 0;
let serverStarted = false;

function tmux(...args: string[]): string {
  // `-f /dev/null`: the user's ~/.tmux.conf has no say in what the tests see.
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

function startServer(): void {
  if (serverStarted) return;
  tmux('new-session', '-d', '-s', 'keep', 'sleep', '3600');
  serverStarted = true;
  process.once('exit', stopPtyServer);
}

// Starts `command` (argv) in `cwd` with exactly `env`, on a 100×40 terminal.
export function startPty(command: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }): Pty {
  startServer();
  const name = `t${++sessions}`;
  const env = Object.entries({ TERM: 'xterm-256color', ...options.env })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${shellQuote(value!)}`);
  // The exit code is printed when the command ends, and the pane stays until closed.
  const script = `env -i ${env.join(' ')} ${command.map(shellQuote).join(' ')}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '40', '-c', options.cwd, 'sh', '-c', script);
  const screen = () => tmux('capture-pane', '-p', '-t', name);
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`the screen never matched ${pattern}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  };
  return {
    keys: (...keys) => void tmux('send-keys', '-t', name, ...keys),
    type: (text) => void tmux('send-keys', '-t', name, '-l', text),
    screen,
    waitFor,
    async exitCode(timeoutMs) {
      return Number(/\[exit (\d+)\]/.exec(await waitFor(/\[exit \d+\]/, timeoutMs))![1]);
    },
    close() {
      try {
        tmux('kill-session', '-t', name);
      } catch {
        // Already gone.
      }
    },
  };
}

// Ends the private tmux server (after the last test).
export function stopPtyServer(): void {
  if (!serverStarted) return;
  serverStarted = false;
  try {
    tmux('kill-server');
  } catch {
    // No server was started.
  }
}

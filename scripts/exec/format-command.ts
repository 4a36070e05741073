// Shell-ready display of a command, so an echoed or failed command can be copied and re-run.

const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

// Quotes one argument for a POSIX shell, only when it needs it.
export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// `program arg…` with each argument quoted as needed.
export function formatCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellQuote).join(' ');
}

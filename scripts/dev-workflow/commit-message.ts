// The final commit's message is a Conventional Commit: `type(scope)!: description`.

const TYPES = ['feat', 'fix', 'chore', 'docs', 'refactor', 'perf', 'test', 'build', 'ci', 'style', 'revert'];
const HEADER = /^([a-z]+)(\([\w./-]+\))?(!)?: (\S.*)$/;

// What is wrong with `message` as a conventional commit, or undefined when nothing is.
export function commitMessageProblem(message: string): string | undefined {
  const header = message.split('\n')[0];
  const match = HEADER.exec(header);
  if (!match) return `"${header}" is not "<type>(<scope>): <description>" (e.g. "fix(logging): raise loki's retention")`;
  if (!TYPES.includes(match[1])) return `"${match[1]}" is not a commit type (${TYPES.join(', ')})`;
  if (header.length > 100) return `the first line is ${header.length} characters long (at most 100)`;
  if (message.includes('\n') && message.split('\n')[1] !== '') return 'the first line must be followed by a blank line';
  return undefined;
}

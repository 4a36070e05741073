// What tests/run.ts reads from one test file's output, and the closing line it prints: pure, so the
// counting rules (a crash is a failure, skipped tests are reported with why) are tested directly.
import { SKIP_MARKER } from './corpus.ts';

export type FileCounts = { passed: number; failed: number; skipped: number; reasons: string[] };

const ANSI = /\x1b\[[0-9;]*m/g;

// The text without colour codes.
export function stripColours(output: string): string {
  return output.replace(ANSI, '');
}

// The count on uvu's last `  <label>:  N` summary line, if it printed one.
function summaryCount(text: string, label: string): number | undefined {
  const lines = [...text.matchAll(new RegExp(`^  ${label}:\\s+(\\d+)$`, 'gm'))];
  return lines.length > 0 ? Number(lines[lines.length - 1][1]) : undefined;
}

// Why tests were skipped: the lines a test file printed with SKIP_MARKER.
function skipReasons(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(SKIP_MARKER)).map((line) => line.slice(SKIP_MARKER.length));
}

// The counts of one file from its output (colours stripped) and exit code. A file that printed no
// uvu summary, or exited non-zero with every test passed, counts one failure more.
export function countFile(output: string, exitCode: number | null): FileCounts {
  const text = stripColours(output);
  const [total, passed, skipped] = ['Total', 'Passed', 'Skipped'].map((label) => summaryCount(text, label));
  const reasons = skipReasons(text);
  if (total === undefined || passed === undefined || skipped === undefined) return { passed: 0, failed: 1, skipped: 0, reasons };
  const failedTests = total - passed;
  return { passed, failed: failedTests + (exitCode !== 0 && failedTests === 0 ? 1 : 0), skipped, reasons };
}

// `N passed, N failed`, with `, M skipped` only when something was skipped.
export function countsLine(counts: Omit<FileCounts, 'reasons'>): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}

// The closing lines of a run: why tests were skipped (when some were), then the counts.
export function closingLines(files: FileCounts[]): string[] {
  const sum = (key: 'passed' | 'failed' | 'skipped') => files.reduce((total, f) => total + f[key], 0);
  const skipped = sum('skipped');
  const reasons = [...new Set(files.flatMap((f) => f.reasons))];
  const why = skipped > 0 ? [`skipped: ${reasons.length > 0 ? reasons.join('; ') : 'tests declared with test.skip'}`] : [];
  return [...why, countsLine({ passed: sum('passed'), failed: sum('failed'), skipped })];
}

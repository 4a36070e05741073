import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closingLines, countFile, countsLine } from './uvu-summary.ts';
import { CORPUS_SKIP_REASON, SKIP_MARKER } from './corpus.ts';

// uvu's closing summary, as it prints it.
const summary = (total: number, passed: number, skipped: number) =>
  `\n  Total:     ${total}\n  Passed:    ${passed}\n  Skipped:   ${skipped}\n  Duration:  12.34ms\n\n`;

test('counts passed, failed and skipped tests from the summary uvu prints', () => {
  assert.equal(countFile(`• • ✘  (2 / 3)\n${summary(3, 2, 0)}`, 1), { passed: 2, failed: 1, skipped: 0, reasons: [] });
  assert.equal(countFile(`${SKIP_MARKER}${CORPUS_SKIP_REASON}\n${summary(1, 1, 4)}`, 0), { passed: 1, failed: 0, skipped: 4, reasons: [CORPUS_SKIP_REASON] });
});

test('reads colours away and takes the last summary when test output printed one too', () => {
  const coloured = '\n  Total:     \x1b[32m2\x1b[39m\n  Passed:    \x1b[32m2\x1b[39m\n  Skipped:   \x1b[33m1\x1b[39m\n';
  assert.equal(countFile(coloured, 0), { passed: 2, failed: 0, skipped: 1, reasons: [] });
  assert.equal(countFile(`${summary(9, 9, 0)}more output\n${summary(2, 1, 0)}`, 1), { passed: 1, failed: 1, skipped: 0, reasons: [] });
});

test('a file that crashed before its summary, or exited non-zero after it, is a failure', () => {
  assert.equal(countFile('TypeError: x is not a function\n', 1), { passed: 0, failed: 1, skipped: 0, reasons: [] });
  assert.equal(countFile(`${SKIP_MARKER}why\nSyntaxError\n`, 1), { passed: 0, failed: 1, skipped: 0, reasons: ['why'] });
  assert.equal(countFile(summary(2, 2, 0), 1), { passed: 2, failed: 1, skipped: 0, reasons: [] });
  assert.equal(countFile(summary(2, 2, 0), null), { passed: 2, failed: 1, skipped: 0, reasons: [] });
});

test('the closing line has the skipped count only when something was skipped, after the reasons once each', () => {
  assert.is(countsLine({ passed: 3, failed: 0, skipped: 0 }), '3 passed, 0 failed');
  assert.equal(closingLines([{ passed: 3, failed: 0, skipped: 0, reasons: [] }, { passed: 1, failed: 1, skipped: 0, reasons: [] }]), ['4 passed, 1 failed']);
  assert.equal(
    closingLines([
      { passed: 2, failed: 0, skipped: 39, reasons: [CORPUS_SKIP_REASON] },
      { passed: 5, failed: 0, skipped: 1, reasons: [CORPUS_SKIP_REASON] },
      { passed: 1, failed: 0, skipped: 0, reasons: [] },
    ]),
    [`skipped: ${CORPUS_SKIP_REASON}`, '8 passed, 0 failed, 40 skipped'],
  );
  assert.equal(closingLines([{ passed: 0, failed: 0, skipped: 2, reasons: [] }]), ['skipped: tests declared with test.skip', '0 passed, 0 failed, 2 skipped']);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXACT_VERSION } from '../../../scripts/validate/chart-pinning.ts';

test('the exact-version rule accepts pinned versions (a leading v too) and rejects ranges, wildcards and partial versions', () => {
  assert.equal(['1.2.3', 'v1.7.0', '1.0.0-rc.1', '82.8.0', '1.2.3+build.5'].filter((v) => !EXACT_VERSION.test(v)), []);
  assert.equal(['*', '1.x', '1.2.x', '1.2', '^1.2.3', '~1.2.3', '>=1.0.0', '1.2.3 - 1.4.0', '1.2.3 || 2.0.0', '', 'latest', '01.2.3']
    .filter((v) => EXACT_VERSION.test(v)), []);
});

test.run();

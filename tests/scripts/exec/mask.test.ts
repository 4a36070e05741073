import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMasker } from '../../../scripts/exec/mask.ts';

test('replaces every registered secret, longest first', () => {
  const masker = createMasker();
  masker.add('abc');
  masker.add('abcdef');
  assert.is(masker.mask('x abcdef y abc z'), 'x *** y *** z');
});

test('masks secret-looking environment variables by name', () => {
  const masker = createMasker({ GITHUB_TOKEN: 'ghp_123456', DB_PASSWORD: 'hunter22', HOME: '/root' });
  assert.is(masker.mask('token ghp_123456 pw hunter22 home /root'), 'token *** pw *** home /root');
});

test('ignores empty and unset values', () => {
  const masker = createMasker({ GH_TOKEN: '' });
  masker.add(undefined);
  assert.is(masker.mask('nothing to hide'), 'nothing to hide');
});

test.run();

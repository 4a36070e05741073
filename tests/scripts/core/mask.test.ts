import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMasker, isSecretName } from '../../../scripts/core/mask.ts';

test('replaces every registered secret, longest first', () => {
  const masker = createMasker();
  masker.add('abcdefgh');
  masker.add('abcdefghijkl');
  assert.is(masker.mask('x abcdefghijkl y abcdefgh z'), 'x *** y *** z');
});

test('masks secret-looking environment variables by name', () => {
  const masker = createMasker({ GITHUB_TOKEN: 'ghp_123456', DB_PASSWORD: 'hunter22', HOME: '/root' });
  assert.is(masker.mask('token ghp_123456 pw hunter22 home /root'), 'token *** pw *** home /root');
});

test('knows the secret variables of AWS, GCP, Azure, Vault, SOPS and databases', () => {
  for (const name of [
    'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'GOOGLE_CREDENTIALS', 'ARM_CLIENT_SECRET',
    'AZURE_CLIENT_SECRET', 'VAULT_TOKEN', 'SOPS_AGE_KEY', 'PGPASSWORD', 'MYSQL_PWD', 'GITHUB_PAT', 'NPM_AUTH', 'STRIPE_API_KEY',
  ]) {
    assert.ok(isSecretName(name), name);
  }
  for (const name of ['HOME', 'PATH', 'PWD', 'OLDPWD', 'SSH_AUTH_SOCK', 'GOOGLE_APPLICATION_CREDENTIALS_FILE', 'SOPS_AGE_KEY_FILE', 'PASSWORD_STORE_DIR', 'KEYBOARD', 'TERM']) {
    assert.not.ok(isSecretName(name), name);
  }
});

test('masks the password of a URL in any variable, not the rest of it', () => {
  const masker = createMasker({ DATABASE_URL: 'postgres://app:s3cr3tpw@db.internal:5432/app' });
  assert.is(masker.mask('connect postgres://app:s3cr3tpw@db.internal:5432/app'), 'connect postgres://app:***@db.internal:5432/app');
});

test('does not mask values too short to be secrets, and says so', () => {
  const masker = createMasker({ X_TOKEN: 'e', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG' });
  assert.is(masker.mask('every letter e stays; key wJalrXUtnFEMI/K7MDENG'), 'every letter e stays; key ***');
  assert.equal(masker.warnings, ['X_TOKEN looks like a secret but its value is too short to mask (1 character): it is not hidden in output']);
});

test('ignores empty and unset values', () => {
  const masker = createMasker({ GH_TOKEN: '' });
  masker.add(undefined);
  assert.is(masker.mask('nothing to hide'), 'nothing to hide');
  assert.equal(masker.warnings, []);
});

test.run();

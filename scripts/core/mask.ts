// Secret masking: every registered value is replaced by *** wherever text is printed or logged.
// Values come from the task (tokens it reads) and from the environment, by variable name.

export type Masker = {
  add(secret: string | undefined): void;
  mask(text: string): string;
  // Secret-named variables whose values are too short to mask without mangling output.
  warnings: readonly string[];
};

// Variables whose values are secrets by their name: tokens, passwords, keys and credentials of
// GitHub, AWS, GCP, Azure, Vault, databases and the like (AWS_SECRET_ACCESS_KEY, VAULT_TOKEN,
// ARM_CLIENT_SECRET, GOOGLE_CREDENTIALS, SOPS_AGE_KEY, GITHUB_PAT, …).
const SECRET_NAME = /(^|_)(TOKEN|PASSWORD|PASSWD|PASS|PWD|SECRET|KEY|CREDENTIALS?|AUTH|PAT|COOKIE)(_|$)/i;
// Secret although the name does not say so, or says "ID".
const ALWAYS_SECRET = /^(PGPASSWORD|MYSQL_PWD|AWS_ACCESS_KEY_ID)$/i;
// Names that match SECRET_NAME but hold no secret: paths to files, ids, sockets, the working directory.
const NOT_SECRET = /^(OLDPWD|PWD)$|_(FILE|PATH|DIR|SOCK|ID)$/i;
// user:password@ in a URL (DATABASE_URL, REDIS_URL, a git remote): the password is a secret.
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i;

// Shorter values are not masked: replacing every "e" or "1" would mangle all output.
export const MIN_SECRET_LENGTH = 6;

// Whether an environment variable's value is a secret by its name.
export function isSecretName(name: string): boolean {
  return ALWAYS_SECRET.test(name) || (SECRET_NAME.test(name) && !NOT_SECRET.test(name));
}

// A masker that also knows the secrets of `env`: secret-named variables and passwords in URLs.
export function createMasker(env: Record<string, string | undefined> = {}): Masker {
  const secrets = new Set<string>();
  const warnings: string[] = [];
  let ordered: string[] = [];
  const masker: Masker = {
    warnings,
    add(secret) {
      if (!secret || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
      secrets.add(secret);
      // Longest first, so a secret that contains another is masked whole.
      ordered = [...secrets].sort((a, b) => b.length - a.length);
    },
    mask(text) {
      let out = text;
      for (const secret of ordered) out = out.split(secret).join('***');
      return out;
    },
  };
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const secret = isSecretName(name) ? value : URL_PASSWORD.exec(value)?.[1];
    if (secret === undefined) continue;
    if (secret.length < MIN_SECRET_LENGTH) {
      warnings.push(`${name} looks like a secret but its value is too short to mask (${secret.length} character${secret.length === 1 ? '' : 's'}): it is not hidden in output`);
    } else {
      masker.add(secret);
    }
  }
  return masker;
}

// Secret masking: every registered value is replaced by *** wherever text is printed or logged.

export type Masker = {
  add(secret: string | undefined): void;
  mask(text: string): string;
};

// Environment variables whose values are secrets by name (tokens, passwords, keys).
const SECRET_ENV = /(^|_)(TOKEN|PASSWORD|PASSWD|SECRET|API_KEY|PRIVATE_KEY)$/i;

// A masker that also knows the secret-looking variables of `env`.
export function createMasker(env: Record<string, string | undefined> = {}): Masker {
  const secrets = new Set<string>();
  let ordered: string[] = [];
  const masker: Masker = {
    add(secret) {
      if (!secret || secrets.has(secret)) return;
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
  for (const [name, value] of Object.entries(env)) if (SECRET_ENV.test(name)) masker.add(value);
  return masker;
}

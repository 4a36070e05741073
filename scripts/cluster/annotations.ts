// The annotations the tasks write on Flux objects they suspend (dev-workflow writes them, status
// reads them): who suspended an object, why, when, and in which session. One module, so the
// writer and the readers can never disagree on a key.

export const ANNOTATION_PREFIX = 'gitops-tasks/';

// Who suspended the object (a person, from git config user.name / $USER).
export const SUSPENDED_BY = 'gitops-tasks/suspended-by';
// Why, in the person's words.
export const SUSPENDED_REASON = 'gitops-tasks/suspended-reason';
// When, RFC 3339 UTC.
export const SUSPENDED_AT = 'gitops-tasks/suspended-at';
// The dev-workflow session that suspended it (its id), so finish/resume can find its own.
export const SESSION = 'gitops-tasks/session';

export type Suspension = { by?: string; reason?: string; at?: string; session?: string };

// What our annotations say about a suspension; empty fields when the object was suspended by
// something else (a person with flux suspend, another tool).
export function suspensionOf(annotations: Record<string, string> | undefined): Suspension {
  const a = annotations ?? {};
  return { by: a[SUSPENDED_BY], reason: a[SUSPENDED_REASON], at: a[SUSPENDED_AT], session: a[SESSION] };
}

// Whether the tasks suspended it (our annotations are there).
export function isOurSuspension(suspension: Suspension): boolean {
  return suspension.by !== undefined || suspension.session !== undefined;
}

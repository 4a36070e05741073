// Which GitHub repository a cluster's Flux syncs from, read from its flux-system GitRepository's
// URL (ssh://git@github.com/owner/repo, https://github.com/owner/repo.git, git@github.com:owner/repo).

export type RepositoryRef = { owner: string; repository: string };

// The owner and repository of a GitHub URL, or undefined for another host.
export function githubRepository(url: string): RepositoryRef | undefined {
  const match = /github\.com[/:]([^/]+)\/([^/]+?)(\.git)?\/?$/.exec(url);
  return match ? { owner: match[1], repository: match[2] } : undefined;
}

// Whether `url` names the repository `ref` (GitHub names are case-insensitive).
export function sameRepository(url: string, ref: RepositoryRef): boolean {
  const found = githubRepository(url);
  return found !== undefined && found.owner.toLowerCase() === ref.owner.toLowerCase() && found.repository.toLowerCase() === ref.repository.toLowerCase();
}

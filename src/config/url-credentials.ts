/**
 * Credentials do not belong in URLs of platform.yaml: whatever is in a URL lands in plain text in
 * the GitOps repository (falcosidekick's values, Argo CD Applications). This finds user info and
 * credential-like query parameters so the config can refuse them and point at the secret setting.
 */

/** Query parameter names that carry secrets in webhook and Git URLs. */
const SECRET_PARAMETER = /^(.*[_-])?(token|access[_-]?token|api[_-]?key|apikey|key|secret|password|passwd|pwd|sig|signature|auth|authorization|credentials?|code)$/i;

/** What in `url` is a credential, or undefined when it carries none. SSH user names (`ssh://git@…`) are not secrets. */
export function urlCredentialProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.password !== '') return 'the URL carries a password (user:password@)';
  if (parsed.username !== '' && parsed.protocol !== 'ssh:') return 'the URL carries user info (user@), which Git and HTTP clients send as credentials';
  const parameter = [...parsed.searchParams.keys()].find((name) => SECRET_PARAMETER.test(name));
  if (parameter !== undefined) return `the URL carries the query parameter "${parameter}", which holds a credential`;
  return undefined;
}

/**
 * A webhook URL as logs, /healthz and errors show it: origin and path only. Its user info and query string
 * often hold a token (e.g. `?key=…`), so they never leave the process.
 */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    // Config only lets http(s) URLs through; anything else is shown as nothing rather than risk a secret.
    return '(invalid URL)';
  }
}

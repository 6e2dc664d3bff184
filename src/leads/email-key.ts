/**
 * The key a person is recognised by across sources: the email trimmed and in lower case, so
 * `ANA@dupe.example ` from one tool and `ana@dupe.example` from another are one person. With
 * `ignorePlus`, `ana+webinar@…` is `ana@…` too (off by default: some companies give people such addresses).
 */
export function emailKey(email: string | null | undefined, options: { ignorePlus: boolean }): string | null {
  const trimmed = email?.trim().toLowerCase();
  if (!trimmed) return null;
  if (!options.ignorePlus) return trimmed;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  const local = trimmed.slice(0, at);
  const plus = local.indexOf('+');
  return plus > 0 ? `${local.slice(0, plus)}${trimmed.slice(at)}` : trimmed;
}

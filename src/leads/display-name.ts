/** What people see a lead called, everywhere (post, DMs, modals, digest): plain text; callers escape it. */
export interface NamedLead {
  name: string | null;
  email: string | null;
  company: string | null;
  externalId: string;
}

const given = (text: string | null) => (text?.trim() ? text.trim() : null);

/**
 * Who the lead is: its name, else its email, else its company. An imported lead may have none of them;
 * it is then named for what it is ("Unnamed lead ext-1"), never by a bare id a rep cannot read.
 */
export function leadName(lead: NamedLead): string {
  return given(lead.name) ?? given(lead.email) ?? given(lead.company) ?? `Unnamed lead ${lead.externalId}`;
}

/** Its name with its company: "Jane Doe · Acme" (the company once, when it is what names the lead). */
export function leadDisplayName(lead: NamedLead): string {
  const who = leadName(lead);
  const company = given(lead.company);
  return company && company !== who ? `${who} · ${company}` : who;
}

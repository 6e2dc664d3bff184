/** What people see a lead called, everywhere (post, DMs, modals, digest): plain text; callers escape it. */
export interface NamedLead {
  name: string | null;
  email: string | null;
  company: string | null;
  externalId: string;
}

/** Its name, else its email, else its id — with its company: "Jane Doe · Acme". */
export function leadDisplayName(lead: NamedLead): string {
  const who = lead.name ?? lead.email ?? lead.externalId;
  return lead.company ? `${who} · ${lead.company}` : who;
}

/**
 * Evidence in a rep's words for the fields whose unit we know (the X Education form fields the default
 * criteria read): "25 min on site" rather than "Total Time Spent on Website 1,532". Pure.
 */
const minutes = (seconds: number) => (seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`);
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

const PHRASES: ReadonlyMap<string, (n: number) => string> = new Map([
  ['total time spent on website', (n: number) => `${minutes(n)} on site`],
  ['totalvisits', (n: number) => `${number.format(n)} ${n === 1 ? 'visit' : 'visits'}`],
  ['page views per visit', (n: number) => `${number.format(n)} pages a visit`],
]);

/** The value in words when the field is one we know the unit of, else null. */
export function fieldPhrase(field: string, value: number): string | null {
  return PHRASES.get(field.trim().toLowerCase())?.(value) ?? null;
}

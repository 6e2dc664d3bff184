/**
 * Whole-word matching for `contains`: `title contains vp` matches "VP of Sales" and "vp, marketing", not "VPN"
 * or "SVP". Case- and accent-insensitive; a phrase matches as consecutive words. Pure.
 */

/** Letters (with their marks) and digits make words; a Han, kana or Thai character (those scripts write no spaces) and an emoji are words of their own. */
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Extended_Pictographic}]|[\p{L}\p{M}\p{N}]+/gu;

/** Case folding (see fold in score.ts) then Latin, Greek and Cyrillic accents dropped: "Crème" = "creme". */
export function plainWords(folded: string): string[] {
  const bare = folded
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
  return bare.match(WORD) ?? [];
}

/** Whether the phrase's words occur in the text's words, in order and next to each other. */
export function containsWords(textWords: string[], phraseWords: string[]): boolean {
  if (phraseWords.length === 0) return false;
  const last = textWords.length - phraseWords.length;
  for (let start = 0; start <= last; start++) {
    if (phraseWords.every((w, i) => textWords[start + i] === w)) return true;
  }
  return false;
}

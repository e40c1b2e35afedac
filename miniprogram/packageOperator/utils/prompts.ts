/**
 * The prompts to send: day 1, day 2, … up to the last one filled in. Empty days after it are left out;
 * an empty day before it is a mistake (the server takes a gapless list): resolves the day to fill.
 */
export function promptsToSend(prompts: string[]): { prompts: string[] } | { missingDay: number } {
  const trimmed = prompts.map((p) => p.trim());
  let last = trimmed.length - 1;
  while (last >= 0 && !trimmed[last]) last--;
  const used = trimmed.slice(0, last + 1);
  const gap = used.findIndex((p) => !p);
  return gap === -1 ? { prompts: used } : { missingDay: gap + 1 };
}

// "Did you mean …?": finds the candidate a misspelt word most plausibly meant, or none.

/**
 * Edit distance where a swap of two neighbouring letters counts as one edit (optimal string
 * alignment), because transpositions ("imgae") are among the commonest typos.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  const first = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (rows[i - 2] as number[])[j - 2] as number + 1);
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The candidate closest to `word`, if it is close enough to be a typo rather than a different
 * word. Case and '-'/'_' differences are free (`Container-Name` → `container_name`). Ties go to
 * the alphabetically first candidate so suggestions never depend on iteration order.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const normal = normalize(word);
  const budget = normal.length <= 4 ? 1 : normal.length <= 8 ? 2 : 3;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(normal, normalize(candidate));
    if (distance > budget || distance >= candidate.length) continue;
    if (!best || distance < best.distance || (distance === best.distance && candidate < best.candidate)) best = { candidate, distance };
  }
  return best?.candidate;
}

function normalize(word: string): string {
  return word.toLowerCase().replace(/-/g, '_');
}

/** Words for messages: lists of names, and the nearest name for "did you mean". */

/** "a", "a and b", "a, b and c" */
export function listing(names: string[], and = 'and'): string {
	if (names.length <= 1) return names.join('');
	return `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}

/** The closest of `candidates` to `name` (edit distance at most a third of its length), for "did you mean". */
export function closest(name: string, candidates: string[]): string | undefined {
	const distance = (a: string, b: string) => {
		const row = Array.from({ length: b.length + 1 }, (_, j) => j);
		for (let i = 1; i <= a.length; i++) {
			let previous = row[0];
			row[0] = i;
			for (let j = 1; j <= b.length; j++) {
				const current = row[j];
				row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
				previous = current;
			}
		}
		return row[b.length];
	};
	let best: { name: string; d: number } | undefined;
	for (const candidate of candidates) {
		const d = distance(name.toLowerCase(), candidate.toLowerCase());
		if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d))
			best = { name: candidate, d };
	}
	return best?.name;
}

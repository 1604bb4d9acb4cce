/**
 * A problem with templates or values, in plain words: `message` says what is wrong, and
 * `description` what to change. The operations turn it into a NodeOperationError with the item
 * index; the helpers stay free of n8n types so that they are testable on their own.
 */
export class PromptError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'PromptError';
	}
}

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
		if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name: candidate, d };
	}
	return best?.name;
}

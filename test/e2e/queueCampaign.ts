/** What the queue-mode campaign tests share: their candidates, the dials the sandbox carried out, tallies. */
import type { Sandbox } from '../../sandbox';
import { conversationStore } from '../../sandbox/conversations';

/** Candidate `index` of a series: its own id and a German mobile number of its own. */
export const campaignCandidate = (series: string, numberPrefix: string, index: number) => ({
	candidateId: `${series}-${index}`,
	name: `Kandidatin ${index}`,
	phone: `${numberPrefix}${String(index).padStart(5, '0')}`,
	jobTitle: 'Lagerist (m/w/d)',
	company: 'Muster Logistik GmbH',
	recruiterName: 'Jonas Weber',
});

/** What a campaign workflow's webhook answers: the Place Agent Call item (or its error). */
export interface CampaignAnswer {
	candidateId?: string;
	status?: string;
	conversationId?: string | null;
	doNotCall?: boolean;
	error?: string;
}

/** Every dial the sandbox carried out, by number: a dial starts exactly one conversation. */
export function dialsByNumber(sandbox: Sandbox): Map<string, string[]> {
	const byNumber = new Map<string, string[]>();
	for (const conversation of conversationStore(sandbox).list()) {
		const number = conversation.phoneCall?.externalNumber ?? '';
		byNumber.set(number, [...(byNumber.get(number) ?? []), conversation.conversationId]);
	}
	return byNumber;
}

/** The numbers dialled more than once. */
export const dialledTwice = (sandbox: Sandbox) =>
	[...dialsByNumber(sandbox)].filter(([, calls]) => calls.length > 1).map(([number]) => number);

export function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

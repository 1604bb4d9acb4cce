/**
 * The knowledge-base document Publish owns on an agent: one per company and job, recognised by
 * its name alone (documents the user attached by hand never match). The name ends in a short hash
 * of the text, so that an unchanged knowledge base is seen without reading the document back.
 *
 *   Recruiting KB · Muster Klinikum GmbH · Pflegefachkraft (m/w/d) · 3f9a2c1d
 */
import { createHash } from 'node:crypto';

export const DOCUMENT_PREFIX = 'Recruiting KB · ';
const SEPARATOR = ' · ';
const MAX_PART_CHARACTERS = 80;
const HASH = /^[0-9a-f]{8}$/;

/** A company or job title as a name part: one line, no separator dots, at most 80 characters. */
function part(text: string): string {
	const clean = text.replace(/[·\s]+/g, ' ').trim();
	const chars = Array.from(clean);
	return chars.length > MAX_PART_CHARACTERS
		? `${chars
				.slice(0, MAX_PART_CHARACTERS - 1)
				.join('')
				.trimEnd()}…`
		: clean;
}

/** What every version of the document for this company and job starts with. */
export function documentBaseName(company: string, jobTitle: string): string {
	return `${DOCUMENT_PREFIX}${part(company)}${SEPARATOR}${part(jobTitle)}${SEPARATOR}`;
}

export function textHash(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

/** The name of the document with this text for this company and job. */
export function documentName(company: string, jobTitle: string, text: string): string {
	return `${documentBaseName(company, jobTitle)}${textHash(text)}`;
}

/** Whether a document name is one Publish gave for this company and job (any version). */
export function isPublishedDocument(name: string, company: string, jobTitle: string): boolean {
	const base = documentBaseName(company, jobTitle);
	return name.startsWith(base) && HASH.test(name.slice(base.length));
}

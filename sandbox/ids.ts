/** Sandbox ids shaped like ElevenLabs' and Twilio's: random, or stable for seed data */
import { createHash, randomBytes } from 'node:crypto';

const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const MIXED_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function fromBytes(bytes: Buffer, alphabet: string, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length] % alphabet.length];
	return out;
}

/**
 * Vendor-shaped ids. ElevenLabs: `agent_`/`phnum_`/`conv_`/`btcal_` + 28 lower-case
 * alphanumerics; Twilio: two upper-case letters + 32 hex digits (`CA…`, `PN…`).
 */
export const ID_SHAPES = {
	agent: { prefix: 'agent_', alphabet: LOWER_ALNUM, length: 28 },
	phoneNumber: { prefix: 'phnum_', alphabet: LOWER_ALNUM, length: 28 },
	conversation: { prefix: 'conv_', alphabet: LOWER_ALNUM, length: 28 },
	batchCall: { prefix: 'btcal_', alphabet: LOWER_ALNUM, length: 28 },
	knowledgeBase: { prefix: '', alphabet: LOWER_ALNUM, length: 20 },
	workspace: { prefix: 'ws_', alphabet: LOWER_ALNUM, length: 20 },
	twilioAccount: { prefix: 'AC', alphabet: HEX, length: 32 },
	twilioCall: { prefix: 'CA', alphabet: HEX, length: 32 },
	twilioMessage: { prefix: 'SM', alphabet: HEX, length: 32 },
	twilioPhoneNumber: { prefix: 'PN', alphabet: HEX, length: 32 },
	twilioApiKey: { prefix: 'SK', alphabet: HEX, length: 32 },
	sipCall: { prefix: 'SCL_', alphabet: LOWER_ALNUM, length: 12 },
	// As in the SDK's example, G007vmtq9uWYl7SUW9zGS8GZZa1K.
	workspaceWebhook: { prefix: '', alphabet: MIXED_ALNUM, length: 28 },
	webhookSecret: { prefix: 'wsec_', alphabet: HEX, length: 64 },
} as const;

export type IdKind = keyof typeof ID_SHAPES;

/** A fresh random id of the given kind. */
export function newId(kind: IdKind): string {
	const shape = ID_SHAPES[kind];
	return shape.prefix + fromBytes(randomBytes(shape.length), shape.alphabet, shape.length);
}

/**
 * A stable id for seed data: the same label always gives the same id, so ids printed by the CLI
 * and written into example workflows keep working after a restart. A readable label is kept at
 * the front when the alphabet allows it.
 */
export function fixedId(kind: IdKind, label: string): string {
	const shape = ID_SHAPES[kind];
	const digest = createHash('sha256').update(`${kind}:${label}`).digest();
	const readable =
		shape.alphabet === LOWER_ALNUM ? label.toLowerCase().replace(/[^0-9a-z]/g, '') : '';
	const head = readable.slice(0, Math.max(0, shape.length - 6));
	return shape.prefix + head + fromBytes(digest, shape.alphabet, shape.length - head.length);
}

/** A stable secret-looking string (API keys, auth tokens) for the seed. */
export function fixedSecret(label: string, length: number, prefix = ''): string {
	const digest = createHash('sha256').update(`secret:${label}`).digest();
	const twice = Buffer.concat([digest, createHash('sha256').update(digest).digest()]);
	return prefix + fromBytes(twice, HEX, length);
}

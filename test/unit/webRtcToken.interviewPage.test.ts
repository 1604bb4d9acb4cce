/**
 * The interview page template of Fetch WebRTC Token (Interview Page › Render) alone: both
 * languages, the recruiter's wording, both connection types, hostile candidate fields, and the
 * checks that make a missing privacy URL an error at render time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
	cleanText,
	renderInterviewPage,
	pageVariables,
	renderNoticePage,
} from '../../nodes/WebRtcToken/helpers/interviewPage';
import type { PageInput } from '../../nodes/WebRtcToken/helpers/interviewPage';
import { pageScript, pageScriptUrl } from '../../nodes/WebRtcToken/helpers/pageAssets';
import { PAGE_TEXTS } from '../../nodes/WebRtcToken/helpers/pageTexts';
import { livekitUrl } from '../../nodes/WebRtcToken/helpers/serverLocation';

const NOW = Date.parse('2026-12-03T10:00:00Z');

function input(overrides: Partial<PageInput> = {}): PageInput {
	return {
		language: 'de',
		company: 'Muster Klinikum GmbH',
		privacyUrl: 'https://www.example.de/datenschutz',
		contactEmail: 'recruiting@example.de',
		wording: [],
		candidate: { name: 'Anna Schmidt', jobTitle: 'Pflegefachkraft (m/w/d)' },
		variables: [
			{ name: 'candidate_name', value: 'Anna' },
			{ name: 'years', value: 3 },
		],
		connection: {
			type: 'webrtc',
			conversationToken: 'tok.en.jwt',
			livekitUrl: 'wss://livekit.rtc.elevenlabs.io',
		},
		expiresAt: new Date(NOW + 10 * 60 * 1000).toISOString(),
		nowMs: NOW,
		clientScript: { url: 'interview-script?file=elevenlabs-client.js', integrity: 'sha384-abc' },
		resamplerUrl: 'interview-script?file=libsamplerate.worklet.js',
		...overrides,
	};
}

function render(overrides: Partial<PageInput> = {}): string {
	const page = renderInterviewPage(input(overrides));
	if (!page.ok) throw new Error(page.message);
	return page.value;
}

/** The JSON the page's script reads. */
function session(html: string): Record<string, unknown> {
	const match = /<script type="application\/json" id="session-data">([^<]*)<\/script>/.exec(html);
	if (!match) throw new Error('no session data');
	return JSON.parse(match[1]) as Record<string, unknown>;
}

describe('the page in German and English', () => {
	it('German: lang, the notice before anything starts, the candidate and the company', () => {
		const html = render();
		expect(html).toContain('<html lang="de">');
		expect(html).toContain(
			'<title>Vorgespräch Pflegefachkraft (m/w/d) – Muster Klinikum GmbH</title>',
		);
		expect(html).toContain('Guten Tag Anna Schmidt, vielen Dank für Ihre Bewerbung!');
		expect(html).toContain('Sie sprechen mit einer KI-Assistenz, nicht mit einem Menschen.');
		expect(html).toContain('Das Recruiting-Team von Muster Klinikum GmbH wertet es');
		expect(html).toContain('<a id="privacy" href="https://www.example.de/datenschutz"');
		expect(html).toContain('<a href="mailto:recruiting@example.de">recruiting@example.de</a>');
		expect(html).toMatch(/<section id="live"[^>]*hidden>/);
		expect(session(html).texts).toEqual(
			expect.objectContaining({
				agent: 'KI-Assistenz',
				statusListening: PAGE_TEXTS.de.statusListening,
			}),
		);
	});

	it('English: the same page in English', () => {
		const html = render({ language: 'en' });
		expect(html).toContain('<html lang="en">');
		expect(html).toContain('You are talking to an AI assistant, not to a person.');
		expect(html).toContain('Start conversation');
		expect(html).not.toContain('Gespräch starten');
		expect(session(html).texts).toEqual(
			expect.objectContaining({ agent: 'AI assistant', expiredTitle: 'This page has expired' }),
		);
	});

	it('both languages have every text', () => {
		expect(Object.keys(PAGE_TEXTS.en).sort()).toEqual(Object.keys(PAGE_TEXTS.de).sort());
		for (const text of [...Object.values(PAGE_TEXTS.de), ...Object.values(PAGE_TEXTS.en)])
			expect(text.trim()).not.toBe('');
	});

	it("the recruiter's wording replaces single texts, with the candidate's fields filled in and escaped", () => {
		const html = render({
			wording: [
				{
					key: 'greeting',
					text: 'Hallo {name}, schön, dass Sie sich als {jobTitle} bei {company} beworben haben.',
				},
				{ key: 'start', text: "Los <geht>'s" },
			],
		});
		expect(html).toContain(
			'Hallo Anna Schmidt, schön, dass Sie sich als Pflegefachkraft (m/w/d) bei Muster Klinikum GmbH beworben haben.',
		);
		expect(html).toContain('<button type="button" id="start">Los &lt;geht&gt;&#x27;s</button>');
		expect(html).not.toContain('Guten Tag');
	});

	it('an unknown text key or language says what to pick', () => {
		const wrongKey = renderInterviewPage(input({ wording: [{ key: 'footer', text: 'x' }] }));
		expect(wrongKey).toMatchObject({
			ok: false,
			message: '"footer" is not a text of the interview page',
		});
		const wrongLanguage = renderInterviewPage(input({ language: 'fr' }));
		expect(wrongLanguage).toMatchObject({
			ok: false,
			message: 'The interview page has no language "fr"',
			hint: 'Choose one of: de, en.',
		});
	});

	it('without a contact e-mail the contact lines are left out', () => {
		const html = render({ contactEmail: '' });
		expect(html).not.toContain('mailto:');
	});
});

describe('the session the page starts', () => {
	it('WebRTC: the token, the LiveKit server, the listed variables and the lifetime; no prompt, overrides or user id', () => {
		const data = session(render());
		expect(data).toMatchObject({
			connectionType: 'webrtc',
			conversationToken: 'tok.en.jwt',
			livekitUrl: 'wss://livekit.rtc.elevenlabs.io',
			validForMs: 10 * 60 * 1000,
			dynamicVariables: { candidate_name: 'Anna', years: 3 },
			libsampleratePath: 'interview-script?file=libsamplerate.worklet.js',
		});
		expect(data).not.toHaveProperty('signedUrl');
		// A published agent with its overrides off: the browser carries nothing to trust.
		expect(data).not.toHaveProperty('overrides');
		expect(data).not.toHaveProperty('userId');
		expect(render()).not.toMatch(/overrides:|userId:/);
	});

	it('WebSocket: the signed URL, and nothing of WebRTC', () => {
		const data = session(
			render({
				connection: {
					type: 'websocket',
					signedUrl:
						'wss://api.eu.residency.elevenlabs.io/v1/convai/conversation?agent_id=a&conversation_signature=s',
				},
			}),
		);
		expect(data.connectionType).toBe('websocket');
		expect(data.signedUrl).toBe(
			'wss://api.eu.residency.elevenlabs.io/v1/convai/conversation?agent_id=a&conversation_signature=s',
		);
		expect(data).not.toHaveProperty('conversationToken');
		expect(data).not.toHaveProperty('livekitUrl');
	});

	it('an expired or unreadable expiry leaves no time, so the page asks for a reload', () => {
		expect(session(render({ expiresAt: new Date(NOW - 1000).toISOString() })).validForMs).toBe(0);
		expect(session(render({ expiresAt: '' })).validForMs).toBe(0);
	});

	it('sends only harmless variables: ids and contact data never come from the browser', () => {
		expect(
			pageVariables([
				{ name: 'name', value: ' Anna ' },
				{ name: '', value: 'x' },
			]),
		).toEqual({
			ok: true,
			value: { name: 'Anna' },
		});
		for (const name of ['candidateId', 'user_id', 'id', 'phone', 'email', 'contactEmail']) {
			expect(pageVariables([{ name, value: 'x' }])).toMatchObject({
				ok: false,
				message: `The page does not send "${name}": the candidate's browser could change it`,
			});
		}
		expect(pageVariables([{ name: 'system__caller_id', value: 'x' }])).toMatchObject({
			ok: false,
			message: '"system__caller_id" is not a dynamic variable the page can send',
		});
		expect(pageVariables([{ name: 'company', value: { a: { b: 1 } } }])).toMatchObject({
			ok: false,
			message: 'The dynamic variable "company" is not text or a number',
		});
	});

	it('the client script with its integrity hash, from the same n8n', () => {
		const html = render();
		expect(html).toContain(
			'<script id="client-library" src="interview-script?file&#x3D;elevenlabs-client.js" integrity="sha384-abc" crossorigin="anonymous" referrerpolicy="no-referrer" defer></script>',
		);
		expect(html).not.toMatch(/https?:\/\/(?!www\.example\.de)[^"'\s]+\.(js|css)/);
		expect(html).not.toMatch(/cdn\.|jsdelivr|unpkg|googleapis/);
	});
});

describe('hostile candidate fields', () => {
	const hostile = {
		name: 'Anna</script><script>alert(1)</script>',
		jobTitle: '"><img src=x onerror=alert(2)>',
	};

	it('cannot end the script element or start markup, in the text or in the session data', () => {
		const html = render({
			candidate: hostile,
			company: "O'Brien & <Söhne>",
			variables: [{ name: 'name', value: 'Hallo</script><script>alert(3)</script>' }],
		});
		expect(html.match(/<script/gi)).toHaveLength(3);
		expect(html.match(/<\/script>/gi)).toHaveLength(3);
		expect(html).not.toContain('<img');
		expect(html).toContain('Guten Tag Anna&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;,');
		expect(html).toContain('O&#x27;Brien &amp; &lt;Söhne&gt;');
		expect(session(html).dynamicVariables).toEqual({
			name: 'Hallo</script><script>alert(3)</script>',
		});
	});

	it('quotes cannot leave an attribute', () => {
		const html = render({ wording: [{ key: 'transcriptLabel', text: '" onmouseover="alert(4)' }] });
		expect(html).toContain('aria-label="&quot; onmouseover&#x3D;&quot;alert(4)"');
	});

	it('right-to-left overrides and other controls are removed, so a name cannot reorder the page', () => {
		const html = render({
			candidate: {
				name: 'Anna\u202Egnp.exe\u2066x\u2069\u200F',
				jobTitle: 'Pflege\u0000kraft',
			},
			variables: [{ name: 'name', value: 'c\u202E1' }],
		});
		expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
		expect(html).not.toContain(String.fromCharCode(0));
		expect(html).toContain('Guten Tag Annagnp.exex,');
		expect(session(html).dynamicVariables).toEqual({ name: 'c 1' });
		expect(cleanText('  a\u202Db  ')).toBe('ab');
		expect(cleanText({ toString: () => 'x' })).toBe('');
	});
});

/** The page's policy from its meta element, and the sha256 of each inline script and style it has. */
function policyOf(html: string): { policy: string; inline: string[] } {
	const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
	if (!policy) throw new Error('no policy');
	const inline = [...html.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)].map(
		([, , code]) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`,
	);
	// As the browser reads the attribute: Handlebars escapes ' and =.
	const decoded = policy.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
	return { policy: decoded, inline };
}

describe('the Content-Security-Policy', () => {
	it('allows exactly the inline code of the rendered page by hash, the client and its connection', () => {
		const { policy, inline } = policyOf(render());
		expect(inline).toHaveLength(2);
		const [style, script] = inline;
		expect(policy).toBe(
			[
				"default-src 'none'",
				`style-src ${style}`,
				"base-uri 'none'",
				"form-action 'none'",
				`script-src ${script} 'self' blob:`,
				'connect-src wss://livekit.rtc.elevenlabs.io https://livekit.rtc.elevenlabs.io',
				'media-src blob: mediastream:',
			].join('; '),
		);
		expect(policy).not.toContain('unsafe');
	});

	it("names the signed URL's host for WebSocket and a scripts host given as a full URL", () => {
		const { policy } = policyOf(
			render({
				connection: { type: 'websocket', signedUrl: 'wss://api.elevenlabs.io/v1/convai/x?s=1' },
				clientScript: { url: 'https://n8n.example.de/webhook/s?file=x', integrity: 'sha384-a' },
			}),
		);
		expect(policy).toContain("script-src 'sha256-");
		expect(policy).toContain("' https://n8n.example.de 'self' blob:");
		expect(policy).toContain('connect-src wss://api.elevenlabs.io;');
	});

	it('the notice page allows its style and nothing else', () => {
		const page = renderNoticePage({
			language: 'de',
			reason: 'used',
			company: '',
			contactEmail: '',
		});
		if (!page.ok) throw new Error(page.message);
		const { policy, inline } = policyOf(page.value.html);
		expect(policy).toBe(
			`default-src 'none'; style-src ${inline[0]}; base-uri 'none'; form-action 'none'`,
		);
	});
});

describe('the privacy URL and contact e-mail', () => {
	it('a missing privacy URL is a clear error at render time', () => {
		expect(renderInterviewPage(input({ privacyUrl: '  ' }))).toEqual({
			ok: false,
			message: 'The interview page needs a privacy URL',
			hint: 'Enter the address of your privacy notice under "Privacy URL": candidates read it before they agree to the recording.',
		});
	});

	it('only http(s) privacy pages, never javascript:', () => {
		expect(renderInterviewPage(input({ privacyUrl: 'javascript:alert(1)' }))).toMatchObject({
			ok: false,
			message: 'The privacy URL must start with https:// or http://',
		});
		expect(renderInterviewPage(input({ privacyUrl: 'datenschutz' }))).toMatchObject({
			ok: false,
			message: 'The privacy URL "datenschutz" is not a valid URL',
		});
	});

	it('a contact e-mail that is not one is refused (it goes into mailto:)', () => {
		expect(renderInterviewPage(input({ contactEmail: 'x" onclick="y' }))).toMatchObject({
			ok: false,
			message: '"x" onclick="y" is not an e-mail address',
		});
	});

	it('a contact e-mail cannot add a subject, copies or a body to the mailto: link', () => {
		for (const contactEmail of [
			'jobs@example.de?subject=Absage',
			'jobs@example.de&cc=all@example.de',
			'jobs@example.de#x',
			'a%40b@example.de',
			'jobs@example.de?body=x=y',
		]) {
			expect(renderInterviewPage(input({ contactEmail }))).toMatchObject({
				ok: false,
				message: `"${contactEmail}" is not an e-mail address`,
			});
			expect(
				renderNoticePage({ language: 'de', reason: 'used', company: '', contactEmail }),
			).toMatchObject({ ok: false });
		}
	});
});

describe('the shipped scripts', () => {
	it('are the exact versions package.json pins, with their sha384 integrity', () => {
		const pkg = JSON.parse(
			readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
		) as { devDependencies: Record<string, string> };
		const client = JSON.parse(
			readFileSync(
				path.join(__dirname, '..', '..', 'node_modules', '@elevenlabs', 'client', 'package.json'),
				'utf8',
			),
		) as { version: string };
		expect(pkg.devDependencies['@elevenlabs/client']).toBe(client.version);
		const script = pageScript('elevenlabs-client.js');
		expect(script.content.toString('utf8')).toContain('ElevenLabsClient');
		expect(script.integrity).toBe(
			`sha384-${createHash('sha384').update(script.content).digest('base64')}`,
		);
		expect(pageScript('libsamplerate.worklet.js').content.length).toBeGreaterThan(100_000);
	});

	it('are addressed below the serving webhook', () => {
		expect(pageScriptUrl('interview-script', 'elevenlabs-client.js')).toBe(
			'interview-script?file=elevenlabs-client.js',
		);
		expect(pageScriptUrl('https://n8n.example.de/webhook/s?v=2', 'libsamplerate.worklet.js')).toBe(
			'https://n8n.example.de/webhook/s?v=2&file=libsamplerate.worklet.js',
		);
	});
});

describe('the LiveKit server of a region', () => {
	it("is the client's own table, the custom host over ws, and none for Singapore", () => {
		expect(livekitUrl('eu', 'https://api.eu.residency.elevenlabs.io')).toEqual({
			ok: true,
			value: 'wss://livekit.rtc.eu.residency.elevenlabs.io',
		});
		expect(livekitUrl(undefined, 'https://api.elevenlabs.io')).toEqual({
			ok: true,
			value: 'wss://livekit.rtc.elevenlabs.io',
		});
		expect(livekitUrl('custom', 'http://127.0.0.1:8790')).toEqual({
			ok: true,
			value: 'ws://127.0.0.1:8790',
		});
		expect(livekitUrl('sg', 'https://api.sg.residency.elevenlabs.io')).toMatchObject({ ok: false });
	});
});

describe('the notice page', () => {
	it.each([
		['unknown', 404, 'Link nicht gefunden'],
		['expired', 410, 'Link abgelaufen'],
		['used', 410, 'Gespräch bereits geführt'],
		['unavailable', 503, 'Gespräch gerade nicht möglich'],
		['something internal', 404, 'Link nicht gefunden'],
	])('%s: status %i and a friendly German title', (reason, statusCode, title) => {
		const page = renderNoticePage({
			language: 'de',
			reason,
			company: 'Muster <GmbH>',
			contactEmail: 'recruiting@example.de',
		});
		if (!page.ok) throw new Error(page.message);
		expect(page.value.statusCode).toBe(statusCode);
		expect(page.value.html).toContain(`<h1>${title}</h1>`);
		expect(page.value.html).toContain('Muster &lt;GmbH&gt;');
		expect(page.value.html).not.toContain('internal');
	});

	it('in English, without company and contact', () => {
		const page = renderNoticePage({
			language: 'en',
			reason: 'expired',
			company: '',
			contactEmail: '',
		});
		if (!page.ok) throw new Error(page.message);
		expect(page.value.html).toContain('<h1>Link expired</h1>');
		expect(page.value.html).not.toContain('mailto:');
		expect(page.value.html).not.toContain('class="company"');
	});
});

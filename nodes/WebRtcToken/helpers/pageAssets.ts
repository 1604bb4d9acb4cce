/** The browser scripts the interview page loads from this n8n, so no CDN is contacted */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The browser scripts the interview page loads, shipped in the package (dist/nodes/WebRtcToken/
 * page/assets/, copied there by the build from the exact versions in package.json) and served by
 * the same n8n, so a candidate's browser contacts no CDN before consenting to anything.
 */
export const PAGE_SCRIPTS = {
	/** @elevenlabs/client's browser build (window.ElevenLabsClient). */
	'elevenlabs-client.js': { module: '@elevenlabs/client', file: 'dist/lib.iife.js' },
	/** The resampler worklet the client loads when a browser cannot open the microphone at 16 kHz (Firefox). */
	'libsamplerate.worklet.js': {
		module: '@alexanderolsen/libsamplerate-js',
		file: 'dist/libsamplerate.worklet.js',
	},
} as const;

export type PageScriptName = keyof typeof PAGE_SCRIPTS;

export const PAGE_SCRIPT_NAMES = Object.keys(PAGE_SCRIPTS) as PageScriptName[];

export const SCRIPT_CONTENT_TYPE = 'text/javascript; charset=utf-8';

export function isPageScriptName(name: string): name is PageScriptName {
	return Object.hasOwn(PAGE_SCRIPTS, name);
}

export interface PageScript {
	name: PageScriptName;
	content: Buffer;
	/** Subresource integrity of the content (sha384), for the page's script tag. */
	integrity: string;
}

const loaded = new Map<PageScriptName, PageScript>();

/** Where the file is: in the built package, or (running from the sources in tests) in node_modules. */
function scriptPath(name: PageScriptName): string {
	const built = path.join(__dirname, '..', 'page', 'assets', name);
	if (existsSync(built)) return built;
	const { module, file } = PAGE_SCRIPTS[name];
	return path.join(__dirname, '..', '..', '..', 'node_modules', module, file);
}

/** A shipped script, read once per process (each is one to two megabytes). */
export function pageScript(name: PageScriptName): PageScript {
	let script = loaded.get(name);
	if (!script) {
		const content = readFileSync(scriptPath(name));
		script = {
			name,
			content,
			integrity: `sha384-${createHash('sha384').update(content).digest('base64')}`,
		};
		loaded.set(name, script);
	}
	return script;
}

/** The address of a shipped script as the page refers to it: the serving webhook plus `?file=`. */
export function pageScriptUrl(scriptsUrl: string, name: PageScriptName): string {
	return `${scriptsUrl}${scriptsUrl.includes('?') ? '&' : '?'}file=${encodeURIComponent(name)}`;
}

/** The LiveKit server a WebRTC conversation connects to, by the credential's region */
import { problem } from '../../shared/n8n/problems';
import type { Checked } from '../../shared/n8n/problems';

/**
 * The LiveKit server a WebRTC conversation connects to, by credential region, as the pinned
 * @elevenlabs/client names them (its utils/location.ts, getLivekitUrlForLocation). The client
 * defaults to the global one, so the page names it for every region: a candidate of an EU
 * residency workspace must not be sent elsewhere.
 */
const LIVEKIT_URLS: Record<string, string> = {
	global: 'wss://livekit.rtc.elevenlabs.io',
	us: 'wss://livekit.rtc.elevenlabs.io',
	eu: 'wss://livekit.rtc.eu.residency.elevenlabs.io',
	in: 'wss://livekit.rtc.in.residency.elevenlabs.io',
};

/**
 * The LiveKit address for a credential: the region's, or for a custom base URL the same host
 * over ws(s) (a self-hosted proxy or the sandbox). Singapore is not in the client's table.
 */
export function livekitUrl(region: unknown, baseUrl: string): Checked<string> {
	const key = String(region ?? 'global');
	if (key === 'custom') return { ok: true, value: baseUrl.replace(/^http/, 'ws') };
	if (Object.hasOwn(LIVEKIT_URLS, key)) return { ok: true, value: LIVEKIT_URLS[key] };
	return problem(
		`The ElevenLabs browser client names no WebRTC server for region "${key}"`,
		'Use "Get Signed WebSocket URL" in Fetch WebRTC Token for this region (the page then connects over WebSocket to the address ElevenLabs signed), or set the LiveKit URL under Options.',
	);
}

/**
 * What the browser interview test's fake microphone plays: a spoken sentence from espeak-ng
 * (Debian's package, installed when missing) followed by a pause, as a WAV file for Chromium's
 * --use-file-for-fake-audio-capture. Should espeak-ng not be installable, a generated tone with
 * a pause stands in, which the sandbox's turn detection hears the same way.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { aptInstall } from './debianPackages';
import { progress, runChecked } from './process';

const ESPEAK = '/usr/bin/espeak-ng';

export interface FakeMicrophone {
	file: string;
	/** What made it: espeak-ng's voice, or the stand-in tone. */
	source: 'espeak-ng' | 'tone';
}

/** A mono 16-bit PCM WAV file's bytes. */
export function wav(samples: Int16Array, sampleRate: number): Buffer {
	const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVEfmt ', 8);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(sampleRate * 2, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36);
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

/** The samples of a mono 16-bit WAV file (espeak-ng writes those), and its rate. */
function readWav(bytes: Buffer): { samples: Int16Array; sampleRate: number } {
	const sampleRate = bytes.readUInt32LE(24);
	let offset = 12;
	while (offset + 8 <= bytes.length) {
		const id = bytes.toString('ascii', offset, offset + 4);
		// espeak-ng streams to a file and may leave the data size at 0x7fffffff: read to the end.
		const size = Math.min(bytes.readUInt32LE(offset + 4), bytes.length - offset - 8);
		if (id === 'data') {
			const data = bytes.subarray(offset + 8, offset + 8 + size - (size % 2));
			return {
				samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)),
				sampleRate,
			};
		}
		offset += 8 + size + (size % 2);
	}
	throw new Error('espeak-ng wrote a WAV file without data');
}

/** `samples` followed by `pauseMs` of silence (Chromium loops the file: the pause ends each turn). */
function withPause(samples: Int16Array, sampleRate: number, pauseMs: number): Int16Array {
	const out = new Int16Array(samples.length + Math.round((sampleRate * pauseMs) / 1000));
	out.set(samples);
	return out;
}

function tone(sampleRate: number, ms: number): Int16Array {
	const n = Math.round((sampleRate * ms) / 1000);
	const out = new Int16Array(n);
	// A voice-like warble (150 Hz with overtones, varying loudness), not a steady sine that noise suppression removes.
	for (let i = 0; i < n; i++) {
		const t = i / sampleRate;
		const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t);
		const voice =
			Math.sin(2 * Math.PI * 150 * t) +
			0.6 * Math.sin(2 * Math.PI * 300 * t) +
			0.3 * Math.sin(2 * Math.PI * 450 * t);
		out[i] = Math.round(voice * envelope * 7000);
	}
	return out;
}

async function hasEspeak(): Promise<boolean> {
	if (existsSync(ESPEAK)) return true;
	try {
		await aptInstall(['espeak-ng'], `${ESPEAK} is missing`);
	} catch (error) {
		progress(
			`espeak-ng could not be installed (${error instanceof Error ? error.message : String(error)}): the fake microphone plays a tone`,
		);
	}
	return existsSync(ESPEAK);
}

/** The fake microphone's file: `sentence` spoken in `voice` (espeak-ng's name, e.g. "de"), then a pause. */
export async function fakeMicrophone(
	sentence: string,
	voice: string,
	pauseMs = 1500,
): Promise<FakeMicrophone> {
	const dir = await mkdtemp(path.join(tmpdir(), 'fake-microphone-'));
	const file = path.join(dir, 'microphone.wav');
	if (await hasEspeak()) {
		const spoken = path.join(dir, 'spoken.wav');
		await runChecked(ESPEAK, ['-v', voice, '-s', '150', '-w', spoken, sentence], {
			timeoutMs: 60_000,
		});
		const { samples, sampleRate } = readWav(await readFile(spoken));
		await writeFile(file, wav(withPause(samples, sampleRate, pauseMs), sampleRate));
		return { file, source: 'espeak-ng' };
	}
	const sampleRate = 16_000;
	await writeFile(file, wav(withPause(tone(sampleRate, 1200), sampleRate, pauseMs), sampleRate));
	return { file, source: 'tone' };
}

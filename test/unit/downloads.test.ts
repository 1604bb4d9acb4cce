/** What a download must be before it is stored, and the file names built from vendor ids. */
import { audioProblem } from '../../nodes/shared/conversation/mp3';
import { safeFileName } from '../../nodes/shared/text/safeFileName';

const frame = Buffer.from([0xff, 0xf3, 0x40, 0xc4]);
const mp3 = Buffer.concat(Array.from({ length: 400 }, () => frame));

describe('audioProblem', () => {
	it('takes MPEG frames and ID3-tagged files as audio/mpeg, octet-stream or without a type', () => {
		expect(audioProblem('audio/mpeg', mp3)).toBeUndefined();
		expect(
			audioProblem('application/octet-stream', Buffer.concat([Buffer.from('ID3'), mp3])),
		).toBeUndefined();
		expect(audioProblem(undefined, mp3)).toBeUndefined();
	});

	it.each([
		[
			'application/json; charset=utf-8',
			Buffer.from('{"detail":"x"}'),
			'it is application/json (14 bytes), not an MP3 recording',
		],
		['audio/mpeg', Buffer.alloc(8, 0xff), 'it has only 8 bytes, too short for a recording'],
		[
			'audio/mpeg',
			Buffer.alloc(4096, 0x20),
			'it does not begin like an MP3 file (no ID3 tag or MPEG frame)',
		],
	])('refuses %s with %j', (type, head, problem) => {
		expect(audioProblem(type, head)).toBe(problem);
	});
});

describe('safeFileName', () => {
	it.each([
		['conv_abc-123', 'conv_abc-123.mp3'],
		['../../etc/passwd', 'etc_passwd.mp3'],
		['..\\..\\win.ini', 'win_ini.mp3'],
		['/', 'file.mp3'],
		['a'.repeat(500), `${'a'.repeat(100)}.mp3`],
	])('%s → %s', (id, name) => {
		expect(safeFileName(id, 'mp3')).toBe(name);
	});
});

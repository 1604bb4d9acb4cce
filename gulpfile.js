/** Build steps: icons, bundled prompt template sets and the interview page's files into dist */
const { src, dest, parallel } = require('gulp');
const { Transform } = require('node:stream');
const path = require('node:path');

// Icons are referenced by the node and credential descriptions as file: paths next to the
// compiled classes.
function buildIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg', 'icons/**/*.svg'], { base: '.' }).pipe(dest('dist'));
}

// The bundled template sets ship as one JSON file per language (dist/prompts/<set>.json:
// file name without extension -> template text), so an installed package loads them with a
// single require and no directory walking.
function bundlePrompts() {
	const sets = new Map();
	return src('prompts/*/*.hbs', { encoding: 'utf8' })
		.pipe(
			new Transform({
				objectMode: true,
				transform(file, _enc, done) {
					const set = path.basename(path.dirname(file.path));
					if (!sets.has(set)) sets.set(set, {});
					sets.get(set)[path.basename(file.path, '.hbs')] = file.contents.toString('utf8');
					done();
				},
				flush(done) {
					for (const [set, templates] of [...sets.entries()].sort()) {
						const sorted = Object.fromEntries(Object.entries(templates).sort(([a], [b]) => a.localeCompare(b)));
						const file = new (require('vinyl'))({
							cwd: process.cwd(),
							base: process.cwd(),
							path: path.join(process.cwd(), 'prompts', `${set}.json`),
							contents: Buffer.from(JSON.stringify(sorted, null, '\t')),
						});
						this.push(file);
					}
					done();
				},
			}),
		)
		.pipe(dest('dist'));
}

// The interview page's template, and the browser scripts it loads from the same n8n (the exact
// versions package.json pins), under the names nodes/WebRtcToken/helpers/pageAssets.ts serves.
function buildPage() {
	return src('nodes/**/page/*.hbs', { base: '.' }).pipe(dest('dist'));
}

const PAGE_SCRIPTS = {
	'elevenlabs-client.js': 'node_modules/@elevenlabs/client/dist/lib.iife.js',
	'libsamplerate.worklet.js': 'node_modules/@alexanderolsen/libsamplerate-js/dist/libsamplerate.worklet.js',
};

function buildPageScripts() {
	const rename = new Transform({
		objectMode: true,
		transform(file, _enc, done) {
			const name = Object.keys(PAGE_SCRIPTS).find((key) => path.resolve(PAGE_SCRIPTS[key]) === file.path);
			file.base = process.cwd();
			file.path = path.join(process.cwd(), 'nodes', 'WebRtcToken', 'page', 'assets', name);
			done(null, file);
		},
	});
	return src(Object.values(PAGE_SCRIPTS)).pipe(rename).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
exports['build:prompts'] = bundlePrompts;
exports['build:page'] = parallel(buildPage, buildPageScripts);
exports.build = parallel(buildIcons, bundlePrompts, buildPage, buildPageScripts);

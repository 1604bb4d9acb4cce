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

exports['build:icons'] = buildIcons;
exports['build:prompts'] = bundlePrompts;
exports.build = parallel(buildIcons, bundlePrompts);

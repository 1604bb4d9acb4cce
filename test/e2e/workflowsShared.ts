/**
 * Shared pieces of the example-workflow tests: loading the files of workflows/, test copies with
 * the outside services swapped out (Google Sheets, Typeform, schedules), and local stand-ins that
 * receive what the workflows send (an SMTP server, a JSON endpoint).
 *
 * The swaps keep each node's name, position and connections and, where it matters, its
 * expressions: a Google Sheets update becomes an Edit Fields (Set) node with exactly the column
 * expressions of the sheet node, so the test asserts the values the workflow would write.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import * as path from 'node:path';

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { REPO_ROOT } from '../../scripts/n8n';
import type { N8nRuntime, WorkflowJson } from '../../scripts/n8n';

export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'workflows');

/** A workflow file of workflows/ by its base name, e.g. `demo-campaign`. */
export function loadExample(name: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(WORKFLOWS_DIR, `${name}.json`), 'utf8')) as WorkflowJson;
}

export function nodeOf(workflow: WorkflowJson, name: string): INode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`Workflow ${workflow.id} has no node "${name}"`);
	return node;
}

/** A copy with another id and name (n8n keeps one workflow per id). */
export function testCopy(workflow: WorkflowJson, id: string): WorkflowJson {
	return { ...structuredClone(workflow), id, name: `${workflow.name} (test copy)`, active: false };
}

/** Replaces a node's type and parameters; name, id, position and connections stay. */
export function replaceNode(
	workflow: WorkflowJson,
	name: string,
	replacement: Pick<INode, 'type' | 'typeVersion' | 'parameters'>,
): INode {
	const node = nodeOf(workflow, name);
	const replaced: INode = { id: node.id, name: node.name, position: node.position, ...replacement };
	workflow.nodes[workflow.nodes.indexOf(node)] = replaced;
	return replaced;
}

/** Changes some parameters of a node. */
export function patchParameters(
	workflow: WorkflowJson,
	name: string,
	patch: INodeParameters,
): void {
	const node = nodeOf(workflow, name);
	node.parameters = { ...node.parameters, ...patch };
}

function codeNode(jsCode: string): Pick<INode, 'type' | 'typeVersion' | 'parameters'> {
	return { type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } };
}

/**
 * The trigger becomes a Code node (same name) that emits `items`, started by a new Manual
 * Trigger, so that `n8n execute` runs the workflow as if the trigger had fired with them.
 */
export function triggerAsTestData(
	workflow: WorkflowJson,
	triggerName: string,
	items: IDataObject[],
): void {
	const trigger = nodeOf(workflow, triggerName);
	replaceNode(
		workflow,
		triggerName,
		codeNode(`return ${JSON.stringify(items.map((json) => ({ json })))};`),
	);
	const start: INode = {
		id: 'test-manual-trigger',
		name: 'Test start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [trigger.position[0] - 220, trigger.position[1]],
		parameters: {},
	};
	workflow.nodes.push(start);
	workflow.connections[start.name] = { main: [[{ node: triggerName, type: 'main', index: 0 }]] };
}

/** The JavaScript inside `={{ … }}` (one expression block), for use in a Code node. */
function expressionCode(value: unknown): string {
	const text = String(value ?? '');
	const match = /^=\{\{([\s\S]*)\}\}$/.exec(text.trim());
	return match
		? `(${match[1].trim()})`
		: JSON.stringify(text.startsWith('=') ? text.slice(1) : text);
}

/**
 * A Google Sheets "Get Row(s)" node becomes a Code node over `rows` (the sheet), with the
 * node's filters (column and value: the filter's own expressions, evaluated per input item) and its
 * "return first match" option. Rows get `row_number` as Google Sheets gives it.
 */
export function sheetReadAsTestData(
	workflow: WorkflowJson,
	name: string,
	rows: IDataObject[],
): void {
	const node = nodeOf(workflow, name);
	const filters = (
		(
			node.parameters.filtersUI as
				| { values?: Array<{ lookupColumn: string; lookupValue: unknown }> }
				| undefined
		)?.values ?? []
	).map(
		(filter) =>
			`[($json) => ${expressionCode(filter.lookupColumn)}, ($json) => ${expressionCode(filter.lookupValue)}]`,
	);
	const firstOnly = (node.parameters.options as IDataObject | undefined)?.returnFirstMatch === true;
	const sheet = rows.map((row, index) => ({ row_number: index + 2, ...row }));
	replaceNode(
		workflow,
		name,
		codeNode(`// Test stand-in for the Google Sheets node "${name}".
const sheet = ${JSON.stringify(sheet)};
const filters = [${filters.join(', ')}];
const out = [];
for (const [index, item] of $input.all().entries()) {
  let matches = sheet.filter((row) => filters.every(([column, value]) => String(row[column(item.json)] ?? '') === String(value(item.json) ?? '')));
  if (${firstOnly}) matches = matches.slice(0, 1);
  for (const row of matches) out.push({ json: row, pairedItem: { item: index } });
}
return out;`),
	);
}

/**
 * A Google Sheets "Update Row" (or append/update) node becomes an Edit Fields (Set) node that
 * outputs exactly the columns the sheet node would write, computed by the sheet node's own
 * column expressions.
 */
export function sheetUpdateAsSet(workflow: WorkflowJson, name: string): void {
	const node = nodeOf(workflow, name);
	const columns = node.parameters.columns as {
		value: Record<string, unknown>;
		schema?: Array<{ id: string; type?: string }>;
	};
	const types = new Map(
		(columns.schema ?? []).map((column) => [column.id, column.type ?? 'string']),
	);
	replaceNode(workflow, name, {
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: {
				assignments: Object.entries(columns.value).map(([column, value], index) => ({
					id: `column-${index}`,
					name: column,
					value: value as string,
					type: ['number', 'boolean'].includes(types.get(column) ?? '')
						? (types.get(column) as string)
						: 'string',
				})),
			},
			// Google Sheets takes any value; so does this stand-in.
			options: { ignoreConversionErrors: true },
		},
	});
}

/** Adds an HTTP Request node after `afterNode` that posts each item's JSON to `url`. */
export function captureAfter(workflow: WorkflowJson, afterNode: string, url: string): void {
	const after = nodeOf(workflow, afterNode);
	const capture: INode = {
		id: `capture-${after.id}`,
		name: `Capture ${afterNode}`,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [after.position[0] + 220, after.position[1]],
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
	workflow.nodes.push(capture);
	const outputs = (workflow.connections[afterNode] ??= { main: [] }).main;
	if (!outputs[0]) outputs[0] = [];
	outputs[0].push({ node: capture.name, type: 'main', index: 0 });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** An HTTP endpoint that collects the JSON bodies posted to it, by path. */
export class JsonCapture {
	readonly received = new Map<string, IDataObject[]>();

	private server: Server | undefined;

	url = '';

	async start(): Promise<this> {
		this.server = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
			request.on('end', () => {
				const key = (request.url ?? '/').slice(1);
				const list = this.received.get(key) ?? [];
				list.push(JSON.parse(body || '{}') as IDataObject);
				this.received.set(key, list);
				response.setHeader('content-type', 'application/json');
				response.end('{}');
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
		return this;
	}

	all(key: string): IDataObject[] {
		return this.received.get(key) ?? [];
	}

	async waitFor(
		key: string,
		predicate: (body: IDataObject) => boolean,
		timeoutMs = 60_000,
	): Promise<IDataObject> {
		return await until(`a request to /${key}`, () => this.all(key).find(predicate), timeoutMs);
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}

export interface CapturedMail {
	from: string;
	to: string[];
	subject: string;
	text: string;
}

interface ParsedMail {
	subject?: string;
	text?: string;
	from?: { text: string };
}

/**
 * A minimal SMTP server (no TLS, no auth) that keeps every message, for n8n's Send Email node
 * with an SMTP credential pointing at it. Messages are decoded with mailparser from the n8n
 * runtime (the library n8n's own IMAP node uses).
 */
export class SmtpCapture {
	readonly mails: CapturedMail[] = [];

	port = 0;

	private server: TcpServer | undefined;

	private readonly sockets = new Set<Socket>();

	constructor(private readonly runtime: N8nRuntime) {}

	async start(): Promise<this> {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { simpleParser } = require(path.join(this.runtime.dir, 'node_modules', 'mailparser')) as {
			simpleParser: (source: string) => Promise<ParsedMail>;
		};
		this.server = createTcpServer((socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
			let buffer = '';
			let inData = false;
			let data: string[] = [];
			let recipients: string[] = [];
			const reply = (line: string) => socket.write(`${line}\r\n`);
			reply('220 capture.local ESMTP test capture');
			socket.on('data', (chunk: Buffer) => {
				buffer += chunk.toString('utf8');
				let end: number;
				while ((end = buffer.indexOf('\r\n')) !== -1) {
					const line = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					if (inData) {
						if (line === '.') {
							inData = false;
							const to = recipients;
							recipients = [];
							const source = data.join('\r\n');
							data = [];
							void simpleParser(source).then((mail) =>
								this.mails.push({
									from: mail.from?.text ?? '',
									to,
									subject: mail.subject ?? '',
									text: mail.text ?? '',
								}),
							);
							reply('250 OK: queued');
						} else {
							data.push(line.startsWith('..') ? line.slice(1) : line);
						}
						continue;
					}
					const command = line.slice(0, 4).toUpperCase();
					if (command === 'EHLO' || command === 'HELO') reply('250 capture.local');
					else if (command === 'MAIL') reply('250 OK');
					else if (command === 'RCPT') {
						recipients.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1'));
						reply('250 OK');
					} else if (command === 'DATA') {
						inData = true;
						reply('354 End data with <CR><LF>.<CR><LF>');
					} else if (command === 'QUIT') {
						reply('221 Bye');
						socket.end();
					} else reply('250 OK');
				}
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as { port: number }).port;
		return this;
	}

	/** The n8n SMTP credential data for this server. */
	credentialData(): IDataObject {
		return {
			user: '',
			password: '',
			host: '127.0.0.1',
			port: this.port,
			secure: false,
			disableStartTls: true,
			hostName: '',
		};
	}

	async waitFor(
		predicate: (mail: CapturedMail) => boolean,
		timeoutMs = 90_000,
	): Promise<CapturedMail> {
		return await until('an e-mail', () => this.mails.find(predicate), timeoutMs);
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}

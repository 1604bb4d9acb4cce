/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute) in-process,
 * with the package's nodes and credentials loaded from dist/ the way n8n loads an installed
 * community package (the `n8n` lists of package.json). Expressions, credentials, pairedItem,
 * On Error and error wrapping are n8n's own. Tests run a node with `runNode` (or several with
 * `runNodes`), a trigger's webhook with `runWebhook`, its activation and deactivation with
 * `activateTrigger` / `deactivateTrigger` (the webhook methods in n8n-core's HookContext), a list
 * search with `listSearch` and a credential's test request with `testCredential`.
 */
import { mock } from 'jest-mock-extended';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createEmptyRunExecutionData,
	createRunExecutionData,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	OnError,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import packageJson from '../../package.json';

export { locator } from '../locator';

export const PACKAGE = packageJson.name;
const ROOT = path.resolve(__dirname, '..', '..');

/** Loads every class a compiled file exports, as n8n's loader does with `new Class()`. */
function loadClasses<T>(distFile: string): T[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(path.join(ROOT, distFile)) as Record<string, new () => T>;
	return Object.values(mod)
		.filter((value) => typeof value === 'function')
		.map((Class) => new Class());
}

export interface LoadedPackage {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: Record<string, ICredentialType>;
}

let loaded: LoadedPackage | undefined;

/** The built package (run `npm run build` first; `npm test` does). */
export function loadPackage(): LoadedPackage {
	if (loaded) return loaded;
	const nodeTypes: LoadedPackage['nodeTypes'] = {};
	const credentialTypes: LoadedPackage['credentialTypes'] = {};
	for (const file of packageJson.n8n.nodes as string[]) {
		for (const nodeType of loadClasses<INodeType | IVersionedNodeType>(file)) {
			nodeTypes[`${PACKAGE}.${nodeType.description.name}`] = nodeType;
		}
	}
	for (const file of packageJson.n8n.credentials as string[]) {
		for (const credential of loadClasses<ICredentialType>(file)) {
			credentialTypes[credential.name] = credential;
		}
	}
	nodeTypes['n8n-nodes-base.manualTrigger'] = new ManualTrigger();
	loaded = { nodeTypes, credentialTypes };
	return loaded;
}

/**
 * Stands in for n8n's Manual Trigger, which lives in n8n-nodes-base (not a dependency of the
 * package): like the real one it starts the run; the test decides which items it emits.
 */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the test workflow',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions) {
		return [this.getInputData()];
	}
}

class PackageNodeTypes implements INodeTypes {
	constructor(private readonly types: LoadedPackage['nodeTypes']) {}

	getByName(type: string) {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** Credentials by type, applied with n8n's algorithm for declarative (generic) authentication. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		const options = requestOptions as IHttpRequestOptions & Record<string, IDataObject>;
		const auth = type?.authenticate;
		if (typeof auth === 'function') return await auth(credentials, options);
		if (auth?.type === 'generic' && workflow && node) {
			for (const [outer, values] of Object.entries(auth.properties)) {
				const target = (options[outer] ??= {}) as IDataObject;
				for (const [key, value] of Object.entries(values as Record<string, string>)) {
					const resolve = (v: string) =>
						String(
							workflow.expression.getSimpleParameterValue(
								node,
								v,
								'internal',
								{ $credentials: credentials },
								undefined,
								'',
							) ?? '',
						);
					target[resolve(key)] = resolve(value);
				}
			}
		}
		return options;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		return {} as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credential of type ${type}`);
		return data;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}

export interface WorkflowJson {
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	settings?: IWorkflowBase['settings'];
	pinData?: IWorkflowBase['pinData'];
}

/** Credential data by credential type name, e.g. `{ elevenLabsAgentsApi: { apiKey, … } }`. */
export type CredentialData = Record<string, object>;

export interface RunOptions {
	credentials?: CredentialData;
	/** Items the start node (the manual trigger) emits; one empty item by default. */
	items?: IDataObject[];
	/** Name of the node the run starts at; the first trigger by default. */
	startNode?: string;
	mode?: WorkflowExecuteMode;
	/** When it resolves, the run is stopped as n8n's Stop button stops it (the execution is cancelled). */
	stopWhen?: Promise<unknown>;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** The error that stopped the run, if one did. */
	error: IRunExecutionData['resultData']['error'];
	/** Items of a node's first output (or output `index`) in its last run. */
	output(nodeName: string, index?: number): INodeExecutionData[];
	/** The JSON of those items. */
	json(nodeName: string, index?: number): IDataObject[];
}

/** What n8n hands an execution of `mode` besides the workflow, with these credentials. */
let executions = 0;

function additionalDataFor(
	mode: WorkflowExecuteMode,
	credentials: CredentialData = {},
): IWorkflowExecuteAdditionalData {
	const { credentialTypes } = loadPackage();
	// Every run its own execution, as in n8n: the call ledger tells a retry from a re-run by it.
	const executionId = String(++executions);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, mock<IWorkflowBase>());
	// The typed deep-partial of this interface is too deep for the compiler; the shape is checked at run time.
	const data = (mock as (values: object) => IWorkflowExecuteAdditionalData)({
		hooks,
		currentNodeParameters: undefined,
		// A deep mock would make these truthy, and the run would then try to decrypt them.
		encryptedRunnerIdentity: undefined,
		executionContext: undefined,
		executionId,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		userId: undefined,
	});
	data.credentialsHelper = new TestCredentialsHelper(
		credentialTypes,
		credentials as Record<string, ICredentialDataDecryptedObject>,
	);
	return data;
}

function createWorkflow(workflowJson: WorkflowJson, staticData?: IDataObject): Workflow {
	const { nodeTypes } = loadPackage();
	return new Workflow({
		id: 'test',
		name: 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		nodeTypes: new PackageNodeTypes(nodeTypes),
		settings: workflowJson.settings ?? { executionOrder: 'v1' },
		active: false,
		staticData,
	});
}

/** Runs a workflow through WorkflowExecute and returns its result. */
export async function runWorkflow(
	workflowJson: WorkflowJson,
	options: RunOptions = {},
): Promise<RunResult> {
	const workflow = createWorkflow(workflowJson);
	const mode = options.mode ?? 'manual';
	const additionalData = additionalDataFor(mode, options.credentials);
	const startName =
		options.startNode ??
		workflowJson.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger')?.name;
	const startNode = startName ? workflow.getNode(startName) : null;
	if (!startNode) throw new Error('The test workflow needs a start node');

	const runExecutionData = createRunExecutionData();
	runExecutionData.executionData!.nodeExecutionStack = [
		{
			node: startNode,
			data: { main: [(options.items ?? [{}]).map((json) => ({ json }))] },
			source: null,
		},
	];
	const execution = new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	void options.stopWhen?.then(() => execution.cancel());
	const run = await execution;
	const runData = run.data.resultData.runData;
	const output = (nodeName: string, index = 0) => {
		const runs = runData[nodeName];
		if (!runs?.length) return [];
		return runs[runs.length - 1].data?.main?.[index] ?? [];
	};
	return {
		run,
		status: run.status,
		error: run.data.resultData.error,
		output,
		json: (nodeName, index) => output(nodeName, index).map((item) => item.json),
	};
}

/** A node of a test workflow: what a saved workflow's node holds, the defaults filled in below. */
type WorkflowNode = Partial<INode> & Pick<INode, 'type' | 'parameters'>;

/** The nodes one after the other behind a manual trigger named "Start". */
function chainWorkflow(nodes: WorkflowNode[]): WorkflowJson {
	const start: INode = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const chain = [
		start,
		...nodes.map(
			(node, index): INode => ({
				id: `node-${index + 1}`,
				typeVersion: 1,
				position: [200 * (index + 1), 0],
				...node,
				name: node.name ?? 'Node',
			}),
		),
	];
	const connections: WorkflowJson['connections'] = {};
	for (let index = 1; index < chain.length; index++) {
		connections[chain[index - 1].name] = {
			main: [[{ node: chain[index].name, type: 'main', index: 0 }]],
		};
	}
	return { nodes: chain, connections };
}

/**
 * A one-node workflow around `node` (name, type, parameters, credentials) behind a manual
 * trigger, for a node of any package (the benchmarks run n8n's own Set node in it).
 */
export function singleNodeWorkflow(node: WorkflowNode): WorkflowJson {
	return chainWorkflow([node]);
}

/** A node of this package, as a test runs it. */
export interface PackageNode {
	/** The node type's name within the package, e.g. 'agentCall'. */
	type: string;
	/** The node's name in the workflow, which `output()` and `json()` take; "Node" by default (name each of a chain). */
	name?: string;
	parameters: INodeParameters;
	/**
	 * n8n's "On Error" setting: 'stopWorkflow' (n8n's default: the first failed item stops the
	 * run), 'continueRegularOutput' (a failed item goes on in order, with its error) or
	 * 'continueErrorOutput' (failed items leave through a second output, `output(name, 1)`).
	 */
	onError?: OnError;
	/** n8n's "Retry On Fail" node setting: how often n8n runs the node in all, and the pause between. */
	retry?: { maxTries: number; waitBetweenTries: number };
}

export interface NodeRunOptions {
	/** Every node of the run references each of these credentials, as a saved workflow does. */
	credentials?: CredentialData;
	/** Items the manual trigger hands to the first node; one empty item by default. */
	items?: IDataObject[];
	stopWhen?: RunOptions['stopWhen'];
}

/** How a saved workflow's node references a credential of each given type (n8n looks them up by id). */
function credentialReferences(credentials: CredentialData = {}): INode['credentials'] {
	return Object.fromEntries(
		Object.keys(credentials).map((type, index) => [type, { id: String(index + 1), name: type }]),
	);
}

function workflowNode(node: PackageNode, credentials: INode['credentials']): WorkflowNode {
	return {
		name: node.name,
		type: `${PACKAGE}.${node.type}`,
		parameters: node.parameters,
		credentials,
		...(node.onError ? { onError: node.onError } : {}),
		...(node.retry ? { retryOnFail: true, ...node.retry } : {}),
	};
}

/**
 * The one way the engine tests run the package's nodes: `nodes` one after the other behind a
 * manual trigger that emits `items`, through WorkflowExecute, with the given credentials.
 */
export async function runNodes(
	nodes: PackageNode[],
	options: NodeRunOptions = {},
): Promise<RunResult> {
	const credentials = credentialReferences(options.credentials);
	const workflow = chainWorkflow(nodes.map((node) => workflowNode(node, credentials)));
	return await runWorkflow(workflow, {
		credentials: options.credentials,
		items: options.items,
		stopWhen: options.stopWhen,
	});
}

/** `runNodes` for a single node: its parameters, items and On Error setting. */
export async function runNode(node: PackageNode, options: NodeRunOptions = {}): Promise<RunResult> {
	return await runNodes([node], options);
}

/** What the tests read of the error that stopped a run (n8n's error classes differ in their fields). */
export interface RunError {
	name: string;
	message: string;
	description: string | undefined;
	/** The item the node was at (NodeOperationError and NodeApiError keep it in their context). */
	itemIndex: number | undefined;
	/** A NodeApiError's HTTP status, as n8n keeps it: a string. */
	httpCode: string | undefined;
}

/** The error that stopped the run; throws (failing the test) when the run did not stop with one. */
export function runError(result: RunResult): RunError {
	const { error } = result;
	if (result.status !== 'error' || !error) {
		throw new Error(
			`Expected the run to stop with an error, but it ended with status "${result.status}"`,
		);
	}
	const itemIndex = error.context?.itemIndex;
	return {
		name: error.name,
		message: error.message,
		description: error.description ?? undefined,
		itemIndex: typeof itemIndex === 'number' ? itemIndex : undefined,
		httpCode: 'httpCode' in error && error.httpCode ? String(error.httpCode) : undefined,
	};
}

/**
 * Runs a credential type's own test request the way n8n's CredentialsTester does: a temporary
 * declarative node whose only property routes to the test request, executed by n8n-core's
 * RoutingNode with the credential applied; the response code rules give the message.
 */
export async function testCredential(
	type: string,
	credentialData: object,
): Promise<INodeCredentialTestResult> {
	const data = credentialData as ICredentialDataDecryptedObject;
	const { credentialTypes } = loadPackage();
	const credentialType = credentialTypes[type];
	if (!credentialType?.test) throw new Error(`Credential ${type} has no test request`);
	const testRequest = credentialType.test;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: '1', name: 'test' } },
	};
	const nodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new PackageNodeTypes({ 'test.credentialTest': nodeType }),
	});
	const additionalData = additionalDataFor('internal', { [type]: data });
	const credentialsDecrypted: ICredentialsDecrypted = { id: '1', name: 'test', type, data };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await workflow.expression.acquireIsolate();
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const e = error as {
			message?: string;
			cause?: { code?: string; response?: { status: number; statusText?: string } };
		};
		const response = e.cause?.response;
		if (response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
		if (e.cause?.code) return { status: 'Error', message: e.cause.code };
		return { status: 'Error', message: String(e.message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Calls a node's list-search method (resource locator "From list") through n8n-core's real
 * load-options context, with the given credentials.
 */
export async function listSearch(
	nodeTypeName: string,
	method: string,
	credentials: Record<string, object>,
	options: {
		filter?: string;
		paginationToken?: string;
		parameters?: INodeParameters;
		credentialType?: string;
	} = {},
): Promise<INodeListSearchResult> {
	const { nodeTypes } = loadPackage();
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypes[`${PACKAGE}.${nodeTypeName}`]);
	const fn = nodeType.methods?.listSearch?.[method];
	if (!fn) throw new Error(`${nodeTypeName} has no list search ${method}`);
	const credentialType = options.credentialType ?? Object.keys(credentials)[0];
	const node: INode = {
		id: 'node',
		name: 'Node',
		type: `${PACKAGE}.${nodeTypeName}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters ?? {},
		credentials: { [credentialType]: { id: '1', name: 'test' } },
	};
	const workflow = createWorkflow({ nodes: [node], connections: {} });
	const additionalData = additionalDataFor('internal', credentials);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	return await fn.call(context, options.filter, options.paginationToken);
}

/** A request to a webhook, as it reaches n8n. */
export interface WebhookRequest {
	/** Header names in any case: Node's HTTP server, and so n8n, hands them to the node lower-cased. */
	headers: Record<string, string | string[] | undefined>;
	/** The exact bytes received, which n8n keeps as `request.rawBody`; none for a request without a body. */
	rawBody?: Buffer | string;
}

export interface WebhookRun {
	/** What the node's webhook() returned: the items it starts the workflow with, or what to answer. */
	returned: IWebhookResponseData;
	/** What the node answered itself through the response object (then it returns `noWebhookResponse`). */
	answered: { status?: number; json?: unknown; contentType?: string; text?: string };
	/** The items the workflow starts with (the trigger's output); none when it starts nothing. */
	items: INodeExecutionData[];
}

/** Stands in for express's response: records the answer of a node that sends its own. */
class RecordedResponse {
	readonly answer: WebhookRun['answered'] = {};

	status(code: number): this {
		this.answer.status = code;
		return this;
	}

	json(body: unknown): this {
		this.answer.json = body;
		return this;
	}

	/** A text answer (e.g. TwiML) with its content type. */
	type(contentType: string): this {
		this.answer.contentType = contentType;
		return this;
	}

	send(body: string): this {
		this.answer.text = body;
		return this;
	}
}

/** The body n8n parses (`request.body`): JSON, or the fields of a form post; an empty object for anything else. */
function parsedBody(rawBody: Buffer | undefined, contentType?: unknown): IDataObject {
	// As express's urlencoded parser does for form posts (Twilio's webhooks).
	if (String(contentType ?? '').startsWith('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(rawBody?.toString('utf8') ?? ''));
	try {
		const body: unknown = rawBody ? JSON.parse(rawBody.toString('utf8')) : {};
		return typeof body === 'object' && body !== null ? (body as IDataObject) : {};
	} catch {
		return {};
	}
}

/** Where a trigger's workflow keeps what n8n keeps between its webhook calls and its (de)activation. */
export interface TriggerOptions {
	credentials?: CredentialData;
	/** The workflow's static data, shared by every call that is given the same object (n8n saves it per workflow). */
	staticData?: IDataObject;
	/** n8n's webhook base URL (`WEBHOOK_URL` + `/webhook`); the production URL is `<base>/test-webhook/<path>`. */
	webhookBaseUrl?: string;
	/** "Listen for test event" in the editor: n8n's manual mode and the test webhook URL. */
	editorTest?: boolean;
}

/** The trigger as a node of an active workflow, with its webhook description and the data n8n gives its contexts. */
function triggerSetUp(node: PackageNode, options: TriggerOptions, mode: WorkflowExecuteMode) {
	const { nodeTypes } = loadPackage();
	const type = `${PACKAGE}.${node.type}`;
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypes[type]);
	const description = nodeType.description.webhooks?.[0];
	if (!description) throw new Error(`${node.type} has no webhook`);
	const workflowNode: INode = {
		id: 'trigger',
		name: node.name ?? 'Node',
		type,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'test-webhook',
		parameters: node.parameters,
		credentials: credentialReferences(options.credentials),
	};
	const workflow = createWorkflow({ nodes: [workflowNode], connections: {} }, options.staticData);
	const additionalData = additionalDataFor(mode, options.credentials);
	if (options.webhookBaseUrl) additionalData.webhookBaseUrl = options.webhookBaseUrl;
	const webhookData: IWebhookData = {
		httpMethod: description.httpMethod as IWebhookData['httpMethod'],
		node: workflowNode.name,
		path: String(description.path),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: workflowNode.webhookId,
		isTest: options.editorTest,
	};
	return {
		nodeType,
		description,
		workflow,
		node: workflow.getNode(workflowNode.name)!,
		additionalData,
		webhookData,
	};
}

/**
 * Calls a trigger's `webhook()` in n8n-core's real webhook context, as n8n does when its webhook
 * is requested (a production webhook, `webhook` mode): the node's first webhook, its parameters
 * with n8n's defaults, the credentials, and the request's headers, raw and parsed body.
 */
export async function runWebhook(
	node: PackageNode,
	request: WebhookRequest,
	options: TriggerOptions = {},
): Promise<WebhookRun> {
	const response = new RecordedResponse();
	const returned = await callWebhook(node, request, options, response);
	return { returned, answered: response.answer, items: returned.workflowData?.[0] ?? [] };
}

/** A trigger's `webhook()` in n8n-core's WebhookContext, with `response` standing in for express's. */
async function callWebhook(
	node: PackageNode,
	request: WebhookRequest,
	options: TriggerOptions,
	response: object,
): Promise<IWebhookResponseData> {
	const mode = options.editorTest ? 'manual' : 'webhook';
	const setUp = triggerSetUp(node, options, mode);
	if (!setUp.nodeType.webhook) throw new Error(`${node.type} has no webhook`);
	const { additionalData } = setUp;
	const rawBody =
		typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
	const headers = Object.fromEntries(
		Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
	);
	// n8n hands the node express's request and response; these carry what the package's trigger reads and calls.
	additionalData.httpRequest = {
		method: setUp.description.httpMethod,
		headers,
		rawBody,
		body: parsedBody(rawBody, headers['content-type']),
		query: {},
		params: {},
	};
	additionalData.httpResponse = response;
	const context = new WebhookContext(
		setUp.workflow,
		setUp.node,
		additionalData,
		mode,
		setUp.webhookData,
		[],
		null,
	);
	return await setUp.nodeType.webhook.call(context);
}

/**
 * Runs one of a trigger's webhook methods (`checkExists`, `create`, `delete`) in n8n-core's
 * HookContext, as n8n does when a workflow is activated or deactivated.
 */
export async function runWebhookMethod(
	node: PackageNode,
	method: 'checkExists' | 'create' | 'delete',
	options: TriggerOptions = {},
): Promise<boolean> {
	const mode = options.editorTest ? 'manual' : 'trigger';
	const setUp = triggerSetUp(node, options, mode);
	const fn = setUp.nodeType.webhookMethods?.[setUp.description.name]?.[method];
	if (!fn) throw new Error(`${node.type} has no webhook method ${method}`);
	const context = new HookContext(
		setUp.workflow,
		setUp.node,
		setUp.additionalData,
		mode,
		options.editorTest ? 'manual' : 'activate',
		setUp.webhookData,
	);
	return await fn.call(context);
}

/** Activation as n8n does it: `create` only when `checkExists` says the webhook is not there. */
export async function activateTrigger(
	node: PackageNode,
	options: TriggerOptions = {},
): Promise<{ created: boolean }> {
	if (await runWebhookMethod(node, 'checkExists', options)) return { created: false };
	await runWebhookMethod(node, 'create', options);
	return { created: true };
}

/** Deactivation as n8n does it: the webhook method `delete`. */
export async function deactivateTrigger(
	node: PackageNode,
	options: TriggerOptions = {},
): Promise<void> {
	await runWebhookMethod(node, 'delete', options);
}

/** An HTTP endpoint in front of a trigger's webhook, and what each request to it did. */
export interface WebhookEndpoint {
	url: string;
	/** The base to give n8n as its webhook base URL (`TriggerOptions.webhookBaseUrl`), so that the production URL lands here. */
	baseUrl: string;
	runs: WebhookRun[];
	close(): Promise<void>;
}

/**
 * Serves a trigger's webhook over HTTP, so that a sender (the sandbox's post-call webhooks) can
 * deliver to it: every request goes through `runWebhook` and is answered as n8n answers a
 * webhook that responds "Immediately": with what the node answered itself, else 200 and the
 * node's `webhookResponse`, else n8n's own "Workflow was started".
 */
export async function serveWebhook(
	node: PackageNode,
	options: TriggerOptions = {},
): Promise<WebhookEndpoint> {
	const runs: WebhookRun[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			runWebhook(node, { headers: request.headers, rawBody: Buffer.concat(chunks) }, options).then(
				(run) => {
					runs.push(run);
					if (run.answered.text !== undefined) {
						response
							.writeHead(run.answered.status ?? 200, {
								'content-type': run.answered.contentType ?? 'text/plain',
							})
							.end(run.answered.text);
						return;
					}
					const body = run.answered.json ??
						run.returned.webhookResponse ?? { message: 'Workflow was started' };
					response
						.writeHead(run.answered.status ?? 200, { 'content-type': 'application/json' })
						.end(JSON.stringify(body));
				},
				(error: Error) => response.writeHead(500).end(error.message),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/test-webhook/${node.type}`,
		baseUrl: `http://127.0.0.1:${port}/webhook`,
		runs,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** A trigger's workflow behind an HTTP endpoint, and the runs its requests started. */
export interface TriggeredWorkflowEndpoint extends WebhookEndpoint {
	/** Each started execution of the workflow after the trigger, in request order. */
	executions: Array<Promise<RunResult>>;
}

/**
 * Serves a trigger with the nodes after it, as an active n8n workflow does: each request runs the
 * trigger's `webhook()`; the items it returns start the workflow (`after`, one after the other,
 * from the trigger on, in webhook mode). A node may answer the request itself, also later, while
 * the workflow runs (the response object writes to the HTTP answer when `json()` is called).
 * A node type with a dot in `after` is another package's (e.g. a test's stand-in for a lookup).
 */
export async function serveTriggeredWorkflow(
	trigger: PackageNode,
	after: PackageNode[],
	options: TriggerOptions = {},
): Promise<TriggeredWorkflowEndpoint> {
	const credentials = credentialReferences(options.credentials);
	const nodes = [trigger, ...after].map((node) => ({
		...workflowNode(node, credentials),
		type: node.type.includes('.') ? node.type : `${PACKAGE}.${node.type}`,
		webhookId: 'test-webhook',
	}));
	const workflow = chainWorkflow(nodes);
	// The trigger starts the run: the manual trigger in front of it is left out.
	workflow.nodes = workflow.nodes.filter((node) => node.name !== 'Start');
	delete workflow.connections.Start;
	const executions: Array<Promise<RunResult>> = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			let status = 200;
			const late = {
				status(code: number) {
					status = code;
					return late;
				},
				json(body: unknown) {
					response
						.writeHead(status, { 'content-type': 'application/json' })
						.end(JSON.stringify(body));
					return late;
				},
			};
			callWebhook(
				trigger,
				{ headers: request.headers, rawBody: Buffer.concat(chunks) },
				options,
				late,
			)
				.then((returned) => {
					if (!returned.noWebhookResponse)
						late.json(returned.webhookResponse ?? { message: 'Workflow was started' });
					const items = returned.workflowData?.[0];
					if (items)
						executions.push(
							runWorkflow(workflow, {
								credentials: options.credentials,
								startNode: trigger.name ?? 'Node',
								items: items.map((item) => item.json),
								mode: 'webhook',
							}),
						);
				})
				.catch((error: Error) => response.writeHead(500).end(error.message));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/test-webhook/${trigger.type}`,
		baseUrl: `http://127.0.0.1:${port}/webhook`,
		runs: [],
		executions,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

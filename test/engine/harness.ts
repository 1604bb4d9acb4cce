/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute) in-process,
 * with the package's nodes and credentials loaded from dist/ the way n8n loads an installed
 * community package (the `n8n` lists of package.json). Expressions, credentials, pairedItem,
 * continue-on-fail and error wrapping are n8n's own.
 */
import { mock } from 'jest-mock-extended';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	RoutingNode,
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
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import * as path from 'node:path';

import packageJson from '../../package.json';

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

export interface RunOptions {
	/** Credential data by credential type name. */
	credentials?: Record<string, object>;
	/** Items the start node (the manual trigger) emits; one empty item by default. */
	items?: IDataObject[];
	/** Name of the node the run starts at; the first trigger by default. */
	startNode?: string;
	mode?: WorkflowExecuteMode;
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

function additionalDataFor(
	hooks: ExecutionLifecycleHooks,
	credentialsHelper: ICredentialsHelper,
): IWorkflowExecuteAdditionalData {
	// The typed deep-partial of this interface is too deep for the compiler; the shape is checked at run time.
	const data = (mock as (values: object) => IWorkflowExecuteAdditionalData)({
		hooks,
		currentNodeParameters: undefined,
		// A deep mock would make these truthy, and the run would then try to decrypt them.
		encryptedRunnerIdentity: undefined,
		executionContext: undefined,
		executionId: '1',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		userId: undefined,
	});
	data.credentialsHelper = credentialsHelper;
	return data;
}

function createWorkflow(workflowJson: WorkflowJson): Workflow {
	const { nodeTypes } = loadPackage();
	return new Workflow({
		id: 'test',
		name: 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		nodeTypes: new PackageNodeTypes(nodeTypes),
		settings: workflowJson.settings ?? { executionOrder: 'v1' },
		active: false,
	});
}

/** Runs a workflow through WorkflowExecute and returns its result. */
export async function runWorkflow(workflowJson: WorkflowJson, options: RunOptions = {}): Promise<RunResult> {
	const { credentialTypes } = loadPackage();
	const workflow = createWorkflow(workflowJson);
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, '1', mock<IWorkflowBase>());
	const additionalData = additionalDataFor(
		hooks,
		new TestCredentialsHelper(credentialTypes, (options.credentials ?? {}) as Record<string, ICredentialDataDecryptedObject>),
	);
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
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
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

/**
 * A one-node workflow around `node` (name, type, parameters, credentials) behind a manual
 * trigger: the shape most engine tests need.
 */
export function singleNodeWorkflow(node: Partial<INode> & Pick<INode, 'type' | 'parameters'>): WorkflowJson {
	const name = node.name ?? 'Node';
	return {
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{ id: 'node', position: [200, 0], typeVersion: 1, ...node, name },
		],
		connections: { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } },
	};
}

/**
 * Runs a credential type's own test request the way n8n's CredentialsTester does: a temporary
 * declarative node whose only property routes to the test request, executed by n8n-core's
 * RoutingNode with the credential applied; the response code rules give the message.
 */
export async function testCredential(type: string, credentialData: object): Promise<INodeCredentialTestResult> {
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
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' },
			],
		},
	} as unknown as INodeType;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new PackageNodeTypes({ 'test.credentialTest': nodeType }),
	});
	const hooks = new ExecutionLifecycleHooks('internal', '1', mock<IWorkflowBase>());
	const additionalData = additionalDataFor(hooks, new TestCredentialsHelper(credentialTypes, { [type]: data }));
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
		const e = error as { message?: string; cause?: { code?: string; response?: { status: number; statusText?: string } } };
		const response = e.cause?.response;
		if (response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
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
	options: { filter?: string; paginationToken?: string; parameters?: INodeParameters; credentialType?: string } = {},
): Promise<INodeListSearchResult> {
	const { nodeTypes, credentialTypes } = loadPackage();
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
	const hooks = new ExecutionLifecycleHooks('internal', '1', mock<IWorkflowBase>());
	const additionalData = additionalDataFor(
		hooks,
		new TestCredentialsHelper(credentialTypes, credentials as Record<string, ICredentialDataDecryptedObject>),
	);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	return await fn.call(context, options.filter, options.paginationToken);
}

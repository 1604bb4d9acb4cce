/** What `n8n execute --rawOutput` prints, parsed into an execution with item accessors. */
import type {
	ExecutionStatus,
	IDataObject,
	INodeExecutionData,
	IRun,
	IRunData,
} from 'n8n-workflow';

/** An execution's error as n8n serialises it (NodeApiError, NodeOperationError, …). */
export interface ExecutionError {
	message: string;
	name?: string;
	description?: string | null;
	httpCode?: string | null;
	node?: { name: string; type: string };
	[key: string]: unknown;
}

export interface ExecutionResult {
	/** n8n's execution status ('success', 'error', …). */
	status: ExecutionStatus;
	/** Exit code of `n8n execute` (0 on success, 1 when the execution failed). */
	exitCode: number | null;
	runData: IRunData;
	/** The workflow's error, when it failed. */
	error?: ExecutionError;
	lastNodeExecuted?: string;
	/** The complete execution as `n8n execute --rawOutput` printed it. */
	raw: IRun;
	/** Items of a node's output (default: first run, first output). Empty when the node did not run. */
	items(nodeName: string, options?: { run?: number; output?: number }): INodeExecutionData[];
	/** Just the `json` of `items()`. */
	json(nodeName: string, options?: { run?: number; output?: number }): IDataObject[];
}

/**
 * The execution JSON in `n8n execute --rawOutput` output: log lines can precede and follow it;
 * the execution itself is pretty-printed, from a line `{` to the next line `}`.
 */
export function parseExecutionOutput(stdout: string): IRun | undefined {
	const lines = stdout.split('\n');
	// A log line may start with "{" too: each such line is tried as the start.
	for (let start = 0; start < lines.length; start++) {
		if (!lines[start].startsWith('{')) continue;
		for (let end = start; end < lines.length; end++) {
			if (!lines[end].startsWith('}')) continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
			} catch {
				// A line "}" inside a multi-line string value; keep looking.
			}
		}
	}
	return undefined;
}

/** The parsed execution with accessors for a node's items. */
export function executionResult(raw: IRun, exitCode: number | null): ExecutionResult {
	const { resultData } = raw.data;
	const runData = resultData.runData ?? {};
	const items = (nodeName: string, { run = 0, output = 0 } = {}) =>
		runData[nodeName]?.[run]?.data?.main?.[output] ?? [];
	return {
		status: raw.status,
		exitCode,
		runData,
		error: resultData.error as unknown as ExecutionError | undefined,
		lastNodeExecuted: resultData.lastNodeExecuted,
		raw,
		items,
		json: (nodeName, options) => items(nodeName, options).map((item) => item.json),
	};
}

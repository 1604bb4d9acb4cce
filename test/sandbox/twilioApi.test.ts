/** The Twilio side of the sandbox, driven with the real `twilio` SDK over HTTP. */
import twilio from 'twilio';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { twilioClient } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

/** The RestException a call ends with. */
async function restError(
	promise: Promise<unknown>,
): Promise<InstanceType<typeof twilio.RestException>> {
	const error: unknown = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(twilio.RestException);
	return error as InstanceType<typeof twilio.RestException>;
}

describe('account (the credential test request)', () => {
	it('fetches the account with Account SID and Auth Token', async () => {
		const { accountSid, authToken } = sandbox.twilio;
		const account = await twilioClient(sandbox, accountSid, authToken)
			.api.v2010.accounts(accountSid)
			.fetch();
		expect(account.sid).toBe(accountSid);
		expect(account.friendlyName).toBe('Muster Recruiting GmbH');
		expect(account.status).toBe('active');
		expect(account.type).toBe('Full');
		expect(account.dateCreated).toEqual(new Date('2026-01-12T09:00:00Z'));
		expect(sandbox.requests.last('GET')?.principal).toBe(accountSid);
	});

	it('fetches it with the main API key; a standard API key gets 20003 there', async () => {
		const { accountSid, apiKeySid, apiKeySecret, standardApiKeySid, standardApiKeySecret } =
			sandbox.twilio;
		const account = await twilioClient(sandbox, apiKeySid, apiKeySecret, accountSid)
			.api.v2010.accounts(accountSid)
			.fetch();
		expect(account.sid).toBe(accountSid);
		const error = await restError(
			twilioClient(sandbox, standardApiKeySid, standardApiKeySecret, accountSid)
				.api.v2010.accounts(accountSid)
				.fetch(),
		);
		expect(error.status).toBe(401);
		expect(error.code).toBe(20003);
	});

	it("answers 20003 with Twilio's error shape for a wrong token", async () => {
		const { accountSid } = sandbox.twilio;
		const error = await restError(
			twilioClient(sandbox, accountSid, '0'.repeat(32)).api.v2010.accounts(accountSid).fetch(),
		);
		expect(error.status).toBe(401);
		expect(error.code).toBe(20003);
		expect(error.message).toBe('Authenticate');
		expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
		const logged = sandbox.requests.last('GET');
		expect(logged?.status).toBe(401);
		expect(logged?.headers.authorization).toBe('[redacted]');
	});

	it('answers 20003 for another account than the credentials belong to', async () => {
		const { accountSid, authToken, trialAccountSid } = sandbox.twilio;
		const error = await restError(
			twilioClient(sandbox, accountSid, authToken).api.v2010.accounts(trialAccountSid).fetch(),
		);
		expect(error.status).toBe(401);
		expect(error.code).toBe(20003);
	});
});

describe('incoming phone numbers', () => {
	it("lists the account numbers with voice capability, paging through Twilio's next_page_uri", async () => {
		const { accountSid, authToken } = sandbox.twilio;
		const numbers = await twilioClient(sandbox, accountSid, authToken).incomingPhoneNumbers.list({
			pageSize: 2,
		});
		expect(numbers.map((number) => number.phoneNumber)).toEqual([
			sandbox.numbers.twilioBerlin,
			sandbox.numbers.inboundHamburg,
			sandbox.numbers.cologne,
		]);
		expect(numbers[0].sid).toBe(sandbox.ids.twilio.incomingNumbers.berlin);
		expect(numbers[0].sid).toMatch(/^PN[0-9a-f]{32}$/);
		expect(numbers[0].friendlyName).toBe('Recruiting Berlin');
		expect(numbers[0].capabilities.voice).toBe(true);
		const pages = sandbox.requests.filter('GET', /IncomingPhoneNumbers\.json$/);
		expect(pages.map((request) => request.query.Page ?? '0')).toEqual(['0', '1']);
	});

	it("answers one page in Twilio's envelope", async () => {
		const { accountSid, authToken } = sandbox.twilio;
		const response = await fetch(
			`${sandbox.url}/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json?PageSize=2`,
			{
				headers: {
					authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
				},
			},
		);
		const page = (await response.json()) as Record<string, unknown>;
		expect(page).toMatchObject({
			page: 0,
			page_size: 2,
			start: 0,
			end: 1,
			previous_page_uri: null,
			first_page_uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json?PageSize=2&Page=0`,
		});
		expect(page.next_page_uri).toMatch(/Page=1&PageToken=PAPN[0-9a-f]{32}$/);
		expect(page.incoming_phone_numbers).toHaveLength(2);
	});

	it('filters by phone number and keeps accounts apart', async () => {
		const { accountSid, authToken, trialAccountSid, trialAuthToken } = sandbox.twilio;
		const filtered = await twilioClient(sandbox, accountSid, authToken).incomingPhoneNumbers.list({
			phoneNumber: '+4940',
		});
		expect(filtered.map((number) => number.phoneNumber)).toEqual([sandbox.numbers.inboundHamburg]);
		const trial = await twilioClient(
			sandbox,
			trialAccountSid,
			trialAuthToken,
		).incomingPhoneNumbers.list();
		expect(trial.map((number) => number.accountSid)).toEqual([trialAccountSid]);
	});

	it("fetches one number; another account's number is 20404", async () => {
		const { accountSid, authToken } = sandbox.twilio;
		const client = twilioClient(sandbox, accountSid, authToken);
		const number = await client
			.incomingPhoneNumbers(sandbox.ids.twilio.incomingNumbers.cologne)
			.fetch();
		expect(number.phoneNumber).toBe(sandbox.numbers.cologne);
		const error = await restError(
			client.incomingPhoneNumbers(sandbox.ids.twilio.incomingNumbers.trial).fetch(),
		);
		expect(error.status).toBe(404);
		expect(error.code).toBe(20404);
	});
});

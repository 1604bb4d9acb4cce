/** Calling window parameters: days, local hours, time zone and public holidays */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export const WEEKDAY_OPTIONS = [
	{ name: 'Monday', value: 1 },
	{ name: 'Tuesday', value: 2 },
	{ name: 'Wednesday', value: 3 },
	{ name: 'Thursday', value: 4 },
	{ name: 'Friday', value: 5 },
	{ name: 'Saturday', value: 6 },
	{ name: 'Sunday', value: 7 },
];

/**
 * Calling days and local hours, shared by single calls and campaigns (same names, so the
 * calling-window helpers read both); `zone` says whose time zone the hours are in.
 */
export function callingHoursProperties(
	show: IDisplayOptions['show'],
	zone: string,
): INodeProperties[] {
	const displayOptions = { show: { ...show, useCallingWindow: [true] } };
	return [
		{
			displayName: 'Calling Days',
			name: 'callingDays',
			type: 'multiOptions',
			options: WEEKDAY_OPTIONS,
			default: [1, 2, 3, 4, 5],
			displayOptions,
		},
		{
			displayName: 'Earliest Local Time',
			name: 'windowStart',
			type: 'string',
			default: '09:00',
			placeholder: '09:00',
			description: `In ${zone}, 24-hour format`,
			displayOptions,
		},
		{
			displayName: 'Latest Local Time',
			name: 'windowEnd',
			type: 'string',
			default: '18:00',
			placeholder: '18:00',
			description: `No call starts at or after this time (${zone}, 24-hour format)`,
			displayOptions,
		},
	];
}

/** Whose time zone and holidays the window follows (read by readWindowRules as `windowOptions`). */
export function callingWindowOptions(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Calling Window Options',
		name: 'windowOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...show, useCallingWindow: [true] } },
		options: [
			{
				displayName: 'Candidate Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description:
					'IANA time zone of the candidate. Default: the item field "timezone", else the zone of the phone number’s country (countries with several zones need the field).',
			},
			{
				displayName: 'Holiday Country',
				name: 'holidayCountry',
				type: 'string',
				default: '',
				placeholder: 'DE',
				description:
					'Two-letter country whose public holidays are skipped. Default: the phone number’s country.',
			},
			{
				displayName: 'Holiday State',
				name: 'holidayState',
				type: 'string',
				default: '',
				placeholder: 'BY',
				description:
					'State or region code for regional holidays, e.g. BY (Bavaria) or NW (North Rhine-Westphalia)',
			},
			{
				displayName: 'Skip Public Holidays',
				name: 'skipHolidays',
				type: 'boolean',
				default: true,
				description: 'Whether to not call on public holidays of the holiday country (and state)',
			},
		],
	};
}

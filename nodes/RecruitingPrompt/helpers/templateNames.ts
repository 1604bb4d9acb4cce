/** The template names with a meaning of their own; every other template is a partial. */
export const MASTER = 'master';
export const FIRST_MESSAGE = 'firstMessage';
export const KNOWLEDGE_BASE = 'knowledgeBase';
/** What the agent's voicemail tool says to a mailbox (Publish): the company and a number, nothing more. */
export const VOICEMAIL_MESSAGE = 'voicemailMessage';
/** The partial the master includes with `{{> phases}}`: the phase partials in their order. */
export const PHASES = 'phases';
/** Phase partials are named `phase-<phase>`, e.g. `phase-greeting`. */
export const PHASE_PREFIX = 'phase-';

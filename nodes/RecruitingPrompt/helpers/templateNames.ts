/** The template names with a meaning of their own; every other template is a partial. */
export const MASTER = 'master';
export const FIRST_MESSAGE = 'firstMessage';
export const KNOWLEDGE_BASE = 'knowledgeBase';
/** The partial the master includes with `{{> phases}}`: the phase partials in their order. */
export const PHASES = 'phases';
/** Phase partials are named `phase-<phase>`, e.g. `phase-greeting`. */
export const PHASE_PREFIX = 'phase-';

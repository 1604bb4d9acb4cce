/**
 * The interview page's wording, German ("Sie") and English. A recruiter replaces any entry in
 * the node (Interview Page › Render › Wording) without touching the template. `{name}`,
 * `{company}` and `{jobTitle}` are filled in from the candidate; everything is escaped as text.
 */
export const PAGE_LANGUAGES = ['de', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

const de = {
	title: 'Vorgespräch {jobTitle} – {company}',
	heading: 'Ihr Vorgespräch als {jobTitle}',
	greeting:
		'Guten Tag {name}, vielen Dank für Ihre Bewerbung! Hier können Sie das erste Gespräch direkt im Browser führen – wann es Ihnen passt.',
	introTitle: 'Bevor Sie beginnen',
	noticeAi: 'Sie sprechen mit einer KI-Assistenz, nicht mit einem Menschen.',
	noticeRecording:
		'Das Gespräch wird aufgezeichnet (Ton und Text). Das Recruiting-Team von {company} wertet es für Ihre Bewerbung aus; technisch verarbeitet es unser Dienstleister ElevenLabs.',
	noticeDuration:
		'Das Gespräch dauert einige Minuten. Sie brauchen ein Mikrofon (zum Beispiel am Smartphone oder Headset) und eine ruhige Umgebung.',
	noticeEnd: 'Sie können jederzeit mit „Gespräch beenden“ aufhören.',
	privacyBefore: 'Mehr dazu in unseren',
	privacyLink: 'Datenschutzhinweisen',
	humanContact: 'Sie möchten lieber mit einem Menschen sprechen? Schreiben Sie an',
	consent: 'Ich habe die Hinweise gelesen und bin mit der Aufzeichnung einverstanden.',
	consentHint: 'Bitte bestätigen Sie zuerst die Hinweise.',
	start: 'Gespräch starten',
	liveTitle: 'Gespräch läuft',
	transcriptLabel: 'Gesprächsverlauf',
	end: 'Gespräch beenden',
	mute: 'Mikrofon stummschalten',
	unmute: 'Mikrofon einschalten',
	doneTitle: 'Vielen Dank!',
	doneText:
		'Das Gespräch ist beendet. Das Team von {company} meldet sich bei Ihnen. Sie können dieses Fenster jetzt schließen.',
	reload: 'Seite neu laden',
	stillProblem: 'Klappt es weiterhin nicht? Schreiben Sie an',
	technicalDetails: 'Technische Details',
	agent: 'KI-Assistenz',
	you: 'Sie',
	statusSpeaking: 'Die KI-Assistenz spricht …',
	statusListening: 'Die KI-Assistenz hört zu – Sie können sprechen.',
	statusMicrophone: 'Bitte erlauben Sie Ihrem Browser den Zugriff auf das Mikrofon.',
	statusLoading: 'Das Gespräch wird geladen …',
	statusConnecting: 'Verbindung wird aufgebaut …',
	statusEnding: 'Das Gespräch wird beendet …',
	micUnavailableTitle: 'Mikrofon nicht verfügbar',
	micUnsupportedText:
		'Ihr Browser erlaubt hier keinen Zugriff auf das Mikrofon. Bitte öffnen Sie den Link in einem aktuellen Browser (Chrome, Edge, Firefox oder Safari).',
	micDeniedTitle: 'Kein Zugriff auf das Mikrofon',
	micDeniedText:
		'Ohne Mikrofon ist das Gespräch leider nicht möglich. Bitte erlauben Sie den Zugriff (meist über das Schloss- oder Kamera-Symbol neben der Adresszeile) und versuchen Sie es erneut.',
	micMissingTitle: 'Kein Mikrofon gefunden',
	micMissingText:
		'Bitte schließen Sie ein Mikrofon oder Headset an, oder öffnen Sie den Link auf Ihrem Smartphone.',
	micBusyText:
		'Das Mikrofon wird gerade von einem anderen Programm verwendet oder ist gestört. Bitte schließen Sie andere Programme mit Mikrofon und versuchen Sie es erneut.',
	expiredTitle: 'Die Seite ist abgelaufen',
	expiredText:
		'Aus Sicherheitsgründen ist diese Seite nur einige Minuten gültig. Bitte laden Sie sie neu – Ihr Link bleibt gültig.',
	sandboxedTitle: 'Gespräch im Browser gerade nicht möglich',
	sandboxedText:
		'Diese Seite darf Ihr Mikrofon leider nicht verwenden. Bitte melden Sie sich bei uns, wir finden eine andere Möglichkeit.',
	clientFailedTitle: 'Das Gespräch kann nicht geladen werden',
	clientFailedText:
		'Bitte prüfen Sie Ihre Internetverbindung und laden Sie die Seite neu. Im Firmennetz kann auch ein anderes Netz (z. B. mobile Daten) helfen.',
	interruptedTitle: 'Das Gespräch wurde unterbrochen',
	interruptedText:
		'Es gab eine technische Störung. Bitte laden Sie die Seite neu, um es noch einmal zu versuchen.',
	disconnectedText:
		'Die Verbindung wurde getrennt. Bitte laden Sie die Seite neu, um es noch einmal zu versuchen.',
	startFailedTitle: 'Das Gespräch konnte nicht starten',
	startFailedText: 'Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
};

export type PageTextKey = keyof typeof de;
export type PageTexts = Record<PageTextKey, string>;

const en: PageTexts = {
	title: 'Interview {jobTitle} – {company}',
	heading: 'Your first interview as {jobTitle}',
	greeting:
		'Hello {name}, thank you for your application! You can hold the first interview right here in your browser, whenever it suits you.',
	introTitle: 'Before you start',
	noticeAi: 'You are talking to an AI assistant, not to a person.',
	noticeRecording:
		"The conversation is recorded (audio and text). {company}'s recruiting team reviews it for your application; our service provider ElevenLabs processes it technically.",
	noticeDuration:
		'The conversation takes a few minutes. You need a microphone (for example on your phone or a headset) and a quiet place.',
	noticeEnd: 'You can stop at any time with "End conversation".',
	privacyBefore: 'More in our',
	privacyLink: 'privacy notice',
	humanContact: 'Would you rather talk to a person? Write to',
	consent: 'I have read the notice and agree to the recording.',
	consentHint: 'Please confirm the notice first.',
	start: 'Start conversation',
	liveTitle: 'Conversation in progress',
	transcriptLabel: 'Conversation so far',
	end: 'End conversation',
	mute: 'Mute microphone',
	unmute: 'Unmute microphone',
	doneTitle: 'Thank you!',
	doneText:
		'The conversation has ended. The team of {company} will get back to you. You can close this window now.',
	reload: 'Reload page',
	stillProblem: 'Still not working? Write to',
	technicalDetails: 'Technical details',
	agent: 'AI assistant',
	you: 'You',
	statusSpeaking: 'The AI assistant is speaking …',
	statusListening: 'The AI assistant is listening – you can speak.',
	statusMicrophone: 'Please allow your browser to use the microphone.',
	statusLoading: 'Loading the conversation …',
	statusConnecting: 'Connecting …',
	statusEnding: 'Ending the conversation …',
	micUnavailableTitle: 'Microphone not available',
	micUnsupportedText:
		'Your browser does not allow the microphone here. Please open the link in a current browser (Chrome, Edge, Firefox or Safari).',
	micDeniedTitle: 'No access to the microphone',
	micDeniedText:
		'The conversation needs a microphone. Please allow access (usually through the lock or camera icon next to the address bar) and try again.',
	micMissingTitle: 'No microphone found',
	micMissingText: 'Please connect a microphone or headset, or open the link on your phone.',
	micBusyText:
		'Another program is using the microphone, or it is not working. Please close other programs that use the microphone and try again.',
	expiredTitle: 'This page has expired',
	expiredText:
		'For security, this page is valid for a few minutes only. Please reload it – your link stays valid.',
	sandboxedTitle: 'The conversation cannot run in the browser right now',
	sandboxedText:
		'This page is not allowed to use your microphone. Please get in touch with us and we will find another way.',
	clientFailedTitle: 'The conversation cannot be loaded',
	clientFailedText:
		'Please check your internet connection and reload the page. On a company network, another network (such as mobile data) may help.',
	interruptedTitle: 'The conversation was interrupted',
	interruptedText: 'There was a technical problem. Please reload the page to try again.',
	disconnectedText: 'The connection was lost. Please reload the page to try again.',
	startFailedTitle: 'The conversation could not start',
	startFailedText: 'Please reload the page and try again.',
};

export const PAGE_TEXTS: Record<PageLanguage, PageTexts> = { de, en };

export const PAGE_TEXT_KEYS = Object.keys(de) as PageTextKey[];

export function isPageTextKey(key: string): key is PageTextKey {
	return Object.hasOwn(de, key);
}

/** Why a link cannot start a conversation, and the HTTP status its notice page answers with. */
export const NOTICE_REASONS = { unknown: 404, expired: 410, used: 410, unavailable: 503 } as const;
export type NoticeReason = keyof typeof NOTICE_REASONS;

export interface NoticeTexts {
	pages: Record<NoticeReason, { title: string; text: string }>;
	questions: string;
}

/** The friendly pages for links that cannot start a conversation (no stack traces, no internals). */
export const NOTICE_TEXTS: Record<PageLanguage, NoticeTexts> = {
	de: {
		pages: {
			unknown: {
				title: 'Link nicht gefunden',
				text: 'Diesen Link kennen wir leider nicht. Bitte prüfen Sie, ob Sie ihn vollständig aus unserer Nachricht übernommen haben.',
			},
			expired: {
				title: 'Link abgelaufen',
				text: 'Dieser Link für das Vorgespräch ist nicht mehr gültig. Wenn Sie das Gespräch noch führen möchten, melden Sie sich bitte bei uns.',
			},
			used: {
				title: 'Gespräch bereits geführt',
				text: 'Sie haben das Vorgespräch über diesen Link bereits geführt – vielen Dank! Wir melden uns bei Ihnen.',
			},
			unavailable: {
				title: 'Gespräch gerade nicht möglich',
				text: 'Das Gespräch kann im Moment leider nicht starten. Bitte versuchen Sie es in einigen Minuten noch einmal.',
			},
		},
		questions: 'Fragen? Schreiben Sie an',
	},
	en: {
		pages: {
			unknown: {
				title: 'Link not found',
				text: 'We do not know this link. Please check that you copied all of it from our message.',
			},
			expired: {
				title: 'Link expired',
				text: 'This interview link is no longer valid. If you would still like to have the conversation, please get in touch with us.',
			},
			used: {
				title: 'Interview already held',
				text: 'You have already held the interview through this link – thank you! We will get back to you.',
			},
			unavailable: {
				title: 'The conversation cannot start right now',
				text: 'The conversation cannot start at the moment. Please try again in a few minutes.',
			},
		},
		questions: 'Questions? Write to',
	},
};

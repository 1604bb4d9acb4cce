/**
 * Simulated time. Runs with real time (optionally faster, `speed`), and can be moved forward
 * by hand so tests need not wait for a call to "finish". Timers scheduled with `at` / `after`
 * fire when simulated time reaches them, whichever way it gets there.
 */
export interface ClockTimer {
	cancel(): void;
}

interface Scheduled {
	due: number;
	seq: number;
	run: () => void;
}

export class Clock {
	private simBase: number;
	private realBase: number;
	private speedFactor: number;
	private queue: Scheduled[] = [];
	private seq = 0;
	private handle: NodeJS.Timeout | undefined;
	private readonly onError: (error: unknown) => void;

	constructor(
		options: { start?: Date | number; speed?: number; onError?: (error: unknown) => void } = {},
	) {
		this.onError =
			options.onError ??
			((error) => process.stderr.write(`sandbox clock: a timer failed: ${String(error)}\n`));
		this.realBase = Date.now();
		this.simBase = options.start === undefined ? this.realBase : new Date(options.start).getTime();
		this.speedFactor = options.speed ?? 1;
		if (!(this.speedFactor > 0)) throw new Error('Clock speed must be a positive number');
	}

	/** Simulated time in milliseconds since the epoch. */
	now(): number {
		return Math.floor(this.simBase + (Date.now() - this.realBase) * this.speedFactor);
	}

	/** Simulated time in whole unix seconds (the unit ElevenLabs uses). */
	nowSeconds(): number {
		return Math.floor(this.now() / 1000);
	}

	date(): Date {
		return new Date(this.now());
	}

	get speed(): number {
		return this.speedFactor;
	}

	/** How many simulated milliseconds pass per real millisecond. */
	setSpeed(speed: number): void {
		if (!(speed > 0) || !Number.isFinite(speed))
			throw new Error('Clock speed must be a positive number');
		this.rebase();
		this.speedFactor = speed;
		this.arm();
	}

	/**
	 * Moves simulated time forward and runs every timer that falls due, in order. While a timer
	 * runs, `now()` is its due time, so timers it schedules are relative to that moment and a
	 * long jump plays out a whole chain of them.
	 */
	advance(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0)
			throw new Error('The clock only moves forward, by a finite number of ms');
		this.runUntil(this.now() + ms);
	}

	/** Jumps to a moment (not before now). */
	set(moment: Date | number): void {
		this.advance(Math.max(0, new Date(moment).getTime() - this.now()));
	}

	/** Runs `run` at the simulated moment `due` (ms since epoch). */
	at(due: number, run: () => void): ClockTimer {
		const entry: Scheduled = { due, seq: this.seq++, run };
		this.queue.push(entry);
		this.queue.sort((a, b) => a.due - b.due || a.seq - b.seq);
		this.arm();
		return {
			cancel: () => {
				this.queue = this.queue.filter((item) => item !== entry);
				this.arm();
			},
		};
	}

	/** Runs `run` after `ms` simulated milliseconds. */
	after(ms: number, run: () => void): ClockTimer {
		return this.at(this.now() + ms, run);
	}

	/** Number of timers not yet fired. */
	get pending(): number {
		return this.queue.length;
	}

	/** Drops every timer (sandbox reset and close). */
	clearTimers(): void {
		this.queue = [];
		this.arm();
	}

	private rebase(): void {
		const now = this.now();
		this.realBase = Date.now();
		this.simBase = now;
	}

	private jumpTo(moment: number): void {
		this.realBase = Date.now();
		this.simBase = moment;
	}

	private runUntil(target: number): void {
		for (;;) {
			const next = this.queue[0];
			if (!next || next.due > target) break;
			this.queue.shift();
			if (next.due > this.now()) this.jumpTo(next.due);
			try {
				next.run();
			} catch (error) {
				// One broken timer must not stop the others (or the server).
				this.onError(error);
			}
		}
		if (target > this.now()) this.jumpTo(target);
		this.arm();
	}

	private arm(): void {
		if (this.handle) clearTimeout(this.handle);
		this.handle = undefined;
		const next = this.queue[0];
		if (!next) return;
		const realDelay = Math.max(0, Math.ceil((next.due - this.now()) / this.speedFactor));
		this.handle = setTimeout(() => this.runUntil(this.now()), Math.min(realDelay, 2 ** 31 - 1));
		// Timers never keep the process (or a test runner) alive on their own.
		this.handle.unref();
	}
}

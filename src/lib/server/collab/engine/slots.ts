/**
 * At most `size` tasks at once; the others wait their turn, first come first served. Used so that
 * many documents compacting together (say, a hundred unloading in the same second) never take
 * every database connection from the commits that relay live edits.
 */
export class Slots {
	private busy = 0;
	private readonly waiting: (() => void)[] = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.busy++;
		try {
			return await task();
		} finally {
			const next = this.waiting.shift();
			if (next !== undefined) next();
			else this.busy--;
		}
	}
}

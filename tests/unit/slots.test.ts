import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/lib/server/collab/engine/slots';

describe('slots', () => {
	it('runs at most `size` tasks at once, the rest in the order they came, each to its end', async () => {
		const slots = new Slots(2);
		let running = 0;
		let most = 0;
		const order: number[] = [];
		const task = (i: number) => async () => {
			running++;
			most = Math.max(most, running);
			await new Promise((r) => setTimeout(r, 5));
			order.push(i);
			running--;
			if (i === 3) throw new Error('task 3 fails');
			return i;
		};
		const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => slots.run(task(i))));
		expect(most).toBe(2);
		expect(order.slice(0, 2).sort()).toEqual([1, 2]);
		expect(results.map((r) => r.status)).toEqual([
			'fulfilled',
			'fulfilled',
			'rejected',
			'fulfilled',
			'fulfilled',
			'fulfilled'
		]);
		// a failing task frees its slot too
		expect(await slots.run(async () => 'after')).toBe('after');
	});
});

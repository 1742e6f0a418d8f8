import type { SubmitFunction } from '@sveltejs/kit';

/**
 * Progressive enhancement for a form: marks it pending while the server answers and keeps what
 * the person typed when the answer is a refusal (SvelteKit resets forms by default).
 * One per form: `const submission = new Submission();` then
 * `use:enhance={submission.enhance}` and `disabled={submission.pending}`.
 */
export class Submission {
	pending = $state(false);

	enhance: SubmitFunction = () => {
		this.pending = true;
		return async ({ update }) => {
			await update({ reset: false });
			this.pending = false;
		};
	};
}

import type * as Y from 'yjs';
import { acceptSuggestions, applyGenerated, generatedKeys, readWeek } from '$lib/collab/rota';
import {
	generateWeek,
	suggestAssignments,
	type PlanContext,
	type Suggestion
} from '$lib/domain/rota-plan';
import { recentVisits } from '$lib/domain/rota-week';
import { m } from '$lib/paraglide/messages';
import type { PageData } from './$types';

/**
 * The week page's planning moves (generate from the visit patterns, suggest carers, accept and
 * undo), with the notice they leave and the suggestions on show.
 */
export class WeekPlanning {
	notice: string | null = $state(null);
	suggestions: Suggestion[] | null = $state(null);
	/** Undoes the last acceptance while its notice shows. */
	undo: (() => void) | null = $state(null);

	constructor(
		private readonly source: () => {
			doc: Y.Doc | null;
			ctx: Omit<PlanContext, 'visits' | 'shifts'>;
			/** Per client, how often each carer visited lately. */
			recent: PageData['recent'];
		}
	) {}

	generate(): void {
		const { doc, ctx } = this.source();
		if (doc === null) return;
		const result = generateWeek({ ...ctx, ...readWeek(doc) }, generatedKeys(doc), () =>
			crypto.randomUUID()
		);
		applyGenerated(doc, result);
		const count = result.visits.length;
		this.notice =
			count === 0 ? m.rota_generated_none() : m.rota_generated({ count: String(count) });
	}

	suggest(): void {
		const { doc, ctx, recent } = this.source();
		if (doc === null) return;
		const suggestions = suggestAssignments({ ...ctx, ...readWeek(doc) }, recentVisits(recent));
		this.suggestions = suggestions.length === 0 ? null : suggestions;
		if (suggestions.length === 0) this.notice = m.rota_suggest_none();
	}

	accept(chosen: Suggestion[]): void {
		const { doc } = this.source();
		if (doc === null) return;
		const restore = acceptSuggestions(doc, chosen);
		this.suggestions = null;
		this.notice = m.rota_accepted({ count: String(chosen.length) });
		this.undo = () => {
			restore();
			this.undo = null;
			this.notice = null;
		};
	}

	dismiss(): void {
		this.suggestions = null;
	}
}

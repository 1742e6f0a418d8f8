import classification from './omaha-system.json';

/**
 * Omaha System problems on a client card (Buurtzorg's choice for structuring the care plan): the
 * public-domain classification (4 domains, 42 problems, working French labels) and the Problem
 * Rating Scale for Outcomes: Knowledge, Behaviour, Status, each 1 (worst) to 5 (best), rated at
 * intake and at each review so progress shows as a trend.
 *
 *   omaha  Y.Map  problemCode → { code, addedAt: 'YYYY-MM-DD', ratings: OmahaRating[] }  (plain JSON)
 */
export interface OmahaRating {
	/** 'YYYY-MM-DD' */
	date: string;
	knowledge: Score;
	behaviour: Score;
	status: Score;
}

export type Score = 1 | 2 | 3 | 4 | 5;

export interface OmahaProblem {
	code: string;
	addedAt: string | null;
	/** Oldest first. */
	ratings: OmahaRating[];
}

export interface OmahaEntry {
	code: string;
	domain: string;
	fr: string;
	en: string;
}

export const OMAHA_DOMAINS: { id: string; fr: string; en: string }[] = classification.domains.map(
	(d) => ({
		id: d.id,
		fr: d.fr,
		en: d.en
	})
);

export const OMAHA_PROBLEMS: OmahaEntry[] = classification.domains.flatMap((d) =>
	d.problems.map((p) => ({ code: p.code, domain: d.id, fr: p.fr, en: p.en }))
);

const byCode = new Map(OMAHA_PROBLEMS.map((p) => [p.code, p]));

export function omahaProblem(code: string): OmahaEntry | null {
	return byCode.get(code) ?? null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isScore = (v: unknown): v is Score =>
	Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5;

function isRating(v: unknown): v is OmahaRating {
	if (typeof v !== 'object' || v === null) return false;
	const r = v as Record<string, unknown>;
	return (
		typeof r.date === 'string' &&
		DATE.test(r.date) &&
		isScore(r.knowledge) &&
		isScore(r.behaviour) &&
		isScore(r.status)
	);
}

/** Reads the card's problems (known codes only, in classification order); `ok` false if anything was dropped. */
export function parseOmaha(raw: unknown): { problems: OmahaProblem[]; ok: boolean } {
	if (raw === undefined || raw === null) return { problems: [], ok: true };
	if (typeof raw !== 'object' || Array.isArray(raw)) return { problems: [], ok: false };
	let ok = true;
	const problems: OmahaProblem[] = [];
	for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
		if (!byCode.has(code) || typeof value !== 'object' || value === null) {
			ok = false;
			continue;
		}
		const v = value as Record<string, unknown>;
		const list = Array.isArray(v.ratings) ? v.ratings : [];
		const ratings = list.filter(isRating).sort((a, b) => a.date.localeCompare(b.date));
		if (ratings.length !== list.length || (v.ratings !== undefined && !Array.isArray(v.ratings)))
			ok = false;
		problems.push({
			code,
			addedAt: typeof v.addedAt === 'string' && DATE.test(v.addedAt) ? v.addedAt : null,
			ratings
		});
	}
	problems.sort((a, b) => a.code.localeCompare(b.code));
	return { problems, ok };
}

export type Trend = 'better' | 'worse' | 'same' | 'unknown';

/**
 * How a problem evolved between its first rating (intake) and its latest: by the sum of the three
 * scores. One rating or none: unknown.
 */
export function omahaTrend(problem: OmahaProblem): Trend {
	if (problem.ratings.length < 2) return 'unknown';
	const sum = (r: OmahaRating) => r.knowledge + r.behaviour + r.status;
	const first = sum(problem.ratings[0]!);
	const last = sum(problem.ratings.at(-1)!);
	return last > first ? 'better' : last < first ? 'worse' : 'same';
}

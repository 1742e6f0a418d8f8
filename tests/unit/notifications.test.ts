import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/lib/domain/forms';
import { waitingOn, newElection } from '../../src/lib/domain/election';
import {
	defaultPreference,
	isLocalLink,
	NOTIFICATION_KINDS,
	notificationSchema,
	preferencesFromForm,
	preferencesSchema
} from '../../src/lib/domain/notifications';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};
const allDigest = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [`email_${k}`, 'digest']));

describe('notification kinds', () => {
	it('carry initials and sector of a client at most', () => {
		const ok = notificationSchema.safeParse({
			kind: 'urgent_transmission',
			params: { clientInitials: 'M. D.', sector: 'Croix-Rousse', date: '2026-12-04' }
		});
		expect(ok.success).toBe(true);
		for (const params of [
			{ clientInitials: 'M. D.', date: '2026-12-04', note: 'chute dans la salle de bains' },
			{ clientInitials: 'Marie Dubois chute', date: '2026-12-04' },
			{ clientInitials: 'M. D.', date: '4 décembre' }
		]) {
			expect(notificationSchema.safeParse({ kind: 'urgent_transmission', params }).success).toBe(
				false
			);
		}
	});

	it('link to a path on this site only', () => {
		expect(isLocalLink('/teams/abc/decisions/def')).toBe(true);
		for (const link of ['https://evil.example/', '//evil.example', '/\\evil.example', 'teams/x']) {
			expect(isLocalLink(link)).toBe(false);
		}
	});

	it('go by e-mail at once when urgent, in the digest otherwise, until the member chooses', () => {
		expect(defaultPreference('colleague_sick')).toEqual({ email: 'immediate', push: true });
		expect(defaultPreference('review_due')).toEqual({ email: 'digest', push: false });
	});
});

describe('the preferences form', () => {
	it('reads one e-mail choice and one push box per kind', () => {
		const parsed = parseForm(
			preferencesSchema,
			form({ ...allDigest, email_colleague_sick: 'off', push_swap_available: 'on' })
		);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		const prefs = preferencesFromForm(parsed.data);
		expect(prefs.get('colleague_sick')).toEqual({ email: 'off', push: false });
		expect(prefs.get('swap_available')).toEqual({ email: 'digest', push: true });
	});

	it('names the field of a choice that is not one, and of a missing one', () => {
		const rest: Record<string, string> = { ...allDigest };
		delete rest.email_review_due;
		expect(
			parseForm(preferencesSchema, form({ ...rest, email_colleague_sick: 'sometimes' }))
		).toEqual({
			ok: false,
			errors: { email_colleague_sick: 'invalid', email_review_due: 'invalid' }
		});
		expect(parseForm(preferencesSchema, form({ ...allDigest, push_review_due: 'yes' }))).toEqual({
			ok: false,
			errors: { push_review_due: 'invalid' }
		});
	});
});

describe('who an election waits on', () => {
	it('is who has not nominated, then who has not answered the proposal', () => {
		const e = newElection({ id: 'e', roleId: 'r', convenerId: 'a', participants: ['a', 'b', 'c'] });
		expect(waitingOn(e).sort()).toEqual(['a', 'b', 'c']);
		const nominated = {
			...e,
			nominations: [{ by: 'b', nominee: 'a', reason: 'x', changed: false }]
		};
		expect(waitingOn(nominated).sort()).toEqual(['a', 'c']);
		expect(waitingOn({ ...nominated, stage: 'changes' })).toEqual([]);
		const consent = {
			...nominated,
			stage: 'consent' as const,
			proposed: 'a',
			answers: [{ memberId: 'c', kind: 'consent' as const, reason: '' }]
		};
		expect(waitingOn(consent).sort()).toEqual(['a', 'b']);
	});
});

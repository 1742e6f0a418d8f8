import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as accounts from '../../src/lib/server/accounts/accounts';
import { notification, outbox, user } from '../../src/lib/server/db/schema';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as roles from '../../src/lib/server/governance/roles';
import { notificationText } from '../../src/lib/i18n/notifications';
import { inLocale } from '../../src/lib/server/mail/locale';
import { deliverDue, MAX_ATTEMPTS } from '../../src/lib/server/mail/outbox';
import { smtpTransport } from '../../src/lib/server/mail/transport';
import { runDailyDigest, sendDigests } from '../../src/lib/server/notifications/digest';
import { list, markRead, notify, unreadCount } from '../../src/lib/server/notifications/notify';
import { preferencesFor, savePreferences } from '../../src/lib/server/notifications/preferences';
import { sweepReminders } from '../../src/lib/server/notifications/sweep';
import {
	readUnsubscribeToken,
	unsubscribe,
	unsubscribeToken
} from '../../src/lib/server/notifications/unsubscribe';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { createTestDatabase } from '../helpers/database';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

// The notification model and its e-mail, on a real database, sent through a real SMTP server.

const ORIGIN = 'http://localhost:3000';
const nurse = { profession: 'nurse' as const, contractMinutes: 35 * 60 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtp;
let transport: ReturnType<typeof smtpTransport>;
let teamId: string;
const people = {} as Record<'aicha' | 'camille' | 'sophie' | 'outsider', string>;
let n = 0;

async function person(name: string, locale: string | null): Promise<string> {
	const result = await accounts.signUp(database.db, {
		name,
		email: `p${++n}@example.org`,
		password: 'a long enough password',
		address: '127.0.0.1'
	});
	if (!result.ok) throw new Error(result.reason);
	await database.db.update(user).set({ locale }).where(eq(user.id, result.userId));
	return result.userId;
}

beforeAll(async () => {
	database = await createTestDatabase();
	smtp = await startSmtp();
	transport = smtpTransport(smtp.url, 'Kring <kring@example.org>');
	people.aicha = await person('Aïcha Benali', 'fr');
	people.camille = await person('Camille Lefèvre', 'en');
	people.sophie = await person('Sophie Garnier', null);
	people.outsider = await person('Olivier Dupont', 'fr');
	teamId = await teams.create(database.db, {
		name: 'Équipe Test',
		creatorId: people.aicha,
		...nurse
	});
	for (const id of [people.camille, people.sophie]) {
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: people.aicha
		});
		await invitations.accept(database.db, { token, userId: id, profile: nurse });
	}
});
afterAll(async () => {
	transport.close();
	await smtp.close();
	await database.dispose();
});

const sick = {
	kind: 'colleague_sick' as const,
	params: { colleague: 'Sophie Garnier', visits: 4 },
	link: '/teams/x/rota'
};

describe('notify', () => {
	it('stores one notification per member of the team, and none for anyone else', async () => {
		const created = await notify(database.db, {
			...sick,
			link: `/teams/${teamId}/rota`,
			teamId,
			recipients: [people.aicha, people.camille, people.outsider, people.aicha]
		});
		expect(created).toBe(2);
		expect(await unreadCount(database.db, people.aicha)).toBe(1);
		expect(await unreadCount(database.db, people.outsider)).toBe(0);
		const [mine] = await list(database.db, people.aicha);
		expect(mine).toMatchObject({ kind: 'colleague_sick', link: `/teams/${teamId}/rota` });
	});

	it('refuses params outside the kind’s schema (no client name, no care note) and foreign links', async () => {
		const base = { teamId, recipients: [people.aicha], link: `/teams/${teamId}/rota` };
		await expect(
			notify(database.db, {
				...base,
				kind: 'urgent_transmission',
				// @ts-expect-error a client's name is not a param of any kind
				params: { clientInitials: 'M. D.', date: '2026-12-04', clientName: 'Marie Dubois' }
			})
		).rejects.toThrow();
		await expect(
			notify(database.db, {
				...base,
				kind: 'urgent_transmission',
				params: { clientInitials: 'Marie Dubois a chuté', date: '2026-12-04' }
			})
		).rejects.toThrow();
		await expect(
			notify(database.db, {
				...sick,
				teamId,
				recipients: [people.aicha],
				link: 'https://evil.example/'
			})
		).rejects.toThrow();
		await expect(
			notify(database.db, { ...sick, teamId, recipients: [people.aicha], link: '//evil.example/' })
		).rejects.toThrow();
	});

	it('lands once per key', async () => {
		const input = {
			teamId,
			recipients: [people.sophie],
			kind: 'review_due' as const,
			params: { title: 'Tournées du week-end', reviewDate: '2026-12-01' },
			link: `/teams/${teamId}/decisions/d1`,
			key: 'review:d1:2026-12-01'
		};
		expect(await notify(database.db, input)).toBe(1);
		expect(await notify(database.db, input)).toBe(0);
	});

	it('marks read only the reader’s own notifications', async () => {
		const [camilles] = await list(database.db, people.camille);
		await markRead(database.db, people.aicha, camilles!.id);
		expect(await unreadCount(database.db, people.camille)).toBe(1);
		await markRead(database.db, people.camille, camilles!.id);
		expect(await unreadCount(database.db, people.camille)).toBe(0);
	});
});

describe('e-mail', () => {
	it('sends urgent kinds at once, in each member’s language, with a one-click unsubscribe', async () => {
		await database.db.delete(outbox);
		const before = smtp.received.length;
		await notify(database.db, {
			teamId,
			recipients: [people.aicha, people.camille],
			kind: 'swap_available',
			params: {
				date: '2026-12-07',
				start: '08:30',
				clientInitials: 'M. D.',
				sector: 'Croix-Rousse',
				offeredBy: 'Sophie Garnier'
			},
			link: `/teams/${teamId}/rota/2026-W50`
		});
		const result = await deliverDue(database.db, transport);
		expect(result).toEqual({ sent: 2, failed: 0 });
		const mails = (await smtp.waitFor(before + 2)).slice(before);
		const fr = mails.find((m) => m.to[0] === 'p1@example.org')!;
		const en = mails.find((m) => m.to[0] === 'p2@example.org')!;
		expect(fr.headers.get('content-language')).toBe('fr');
		expect(en.headers.get('content-language')).toBe('en');
		expect(fr.headers.get('subject')).toContain('Sophie Garnier propose sa visite du');
		expect(fr.text).toContain('8\u00a0h\u00a030');
		expect(en.headers.get('subject')).toContain('Sophie Garnier offers their visit on');
		expect(en.text).toContain('08:30');
		for (const mail of [fr, en]) {
			expect(mail.from).toBe('kring@example.org');
			expect(mail.text).toContain(`${ORIGIN}/teams/${teamId}/rota/2026-W50`);
			expect(mail.html).toContain(`href="${ORIGIN}/teams/${teamId}/rota/2026-W50"`);
			expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
			const header = mail.headers.get('list-unsubscribe')!;
			expect(header).toMatch(
				new RegExp(`^<${ORIGIN}/unsubscribe/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>$`)
			);
			const token = header.slice(header.lastIndexOf('/') + 1, -1);
			const target = await readUnsubscribeToken(database.db, token);
			expect(target).toEqual({
				userId: mail === fr ? people.aicha : people.camille,
				scope: 'swap_available'
			});
			// Initials and sector at most: nothing else of the client.
			expect(mail.raw).not.toMatch(/Marie|Dubois/);
		}
	});

	it('retries a refused mail with backoff, not before it is due', async () => {
		const before = smtp.received.length;
		await notify(database.db, {
			teamId,
			recipients: [people.aicha],
			kind: 'colleague_sick',
			params: { colleague: 'Camille Lefèvre', visits: 2 },
			link: `/teams/${teamId}/rota`
		});
		smtp.refuseNext(1);
		const t0 = new Date();
		expect(await deliverDue(database.db, transport, t0)).toEqual({ sent: 0, failed: 1 });
		const pending = (await database.db.select().from(outbox)).filter((r) => r.sentAt === null);
		expect(pending).toHaveLength(1);
		expect(pending[0]!.lastError).toMatch(/451|try again/);
		expect(pending[0]!.nextAttemptAt!.getTime() - t0.getTime()).toBe(60_000);
		// Not due yet: nothing is sent.
		expect(await deliverDue(database.db, transport, new Date(t0.getTime() + 59_000))).toEqual({
			sent: 0,
			failed: 0
		});
		expect(await deliverDue(database.db, transport, new Date(t0.getTime() + 60_000))).toEqual({
			sent: 1,
			failed: 0
		});
		await smtp.waitFor(before + 1);
		expect(smtp.received.at(-1)!.text).toContain('Camille Lefèvre');
	});

	it('gives up after the last attempt and keeps the row with its error', async () => {
		await notify(database.db, {
			teamId,
			recipients: [people.aicha],
			kind: 'colleague_sick',
			params: { colleague: 'Sophie Garnier', visits: 1 },
			link: `/teams/${teamId}/rota`
		});
		smtp.refuseNext(MAX_ATTEMPTS);
		let at = Date.now();
		for (let i = 0; i < MAX_ATTEMPTS; i++) {
			expect((await deliverDue(database.db, transport, new Date(at))).failed).toBe(1);
			at += 3_600_000;
		}
		const rows = (await database.db.select().from(outbox)).filter((r) => r.sentAt === null);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ attempts: MAX_ATTEMPTS, nextAttemptAt: null });
		expect(await deliverDue(database.db, transport, new Date(at))).toEqual({ sent: 0, failed: 0 });
		await database.db.delete(outbox);
	});

	it('puts other kinds in one daily digest per member, once', async () => {
		await database.db.delete(outbox);
		const before = smtp.received.length;
		await notify(database.db, {
			teamId,
			recipients: [people.aicha, people.camille],
			kind: 'round_waiting',
			params: { round: 'consent', title: 'Un binôme pour chaque nouvelle personne' },
			link: `/teams/${teamId}/decisions/d2`
		});
		expect(await database.db.select().from(outbox)).toHaveLength(0);
		const first = await sendDigests(database.db, ORIGIN);
		// Aïcha: the round; Camille: the round and the review from the first tests; Sophie: the review.
		expect(first.mails).toBe(3);
		expect(await sendDigests(database.db, ORIGIN)).toEqual({ mails: 0, notices: 0 });
		await deliverDue(database.db, transport);
		const mails = (await smtp.waitFor(before + 3)).slice(before);
		const aicha = mails.find((m) => m.to[0] === 'p1@example.org')!;
		expect(aicha.headers.get('subject')).toBe('Kring\u00a0: votre résumé du jour (1)');
		expect(aicha.text).toContain('Un tour de consentement attend votre réponse');
		expect(aicha.text).toContain(`${ORIGIN}/teams/${teamId}/decisions/d2`);
		const sophie = mails.find((m) => m.to[0] === 'p3@example.org')!;
		// No language stored: French, the base language.
		expect(sophie.headers.get('content-language')).toBe('fr');
		const token = sophie.headers.get('list-unsubscribe')!.match(/unsubscribe\/([^>]+)>/)![1]!;
		expect(await readUnsubscribeToken(database.db, token)).toEqual({
			userId: people.sophie,
			scope: 'digest'
		});
	});

	it('runs the daily digest once a day from 7:00 Paris time, whatever the number of calls', async () => {
		// 2026-12-03 is in winter: Paris is UTC+1.
		expect(await runDailyDigest(database.db, ORIGIN, new Date('2026-12-03T05:59:00Z'))).toBe(false);
		expect(await runDailyDigest(database.db, ORIGIN, new Date('2026-12-03T06:00:00Z'))).toBe(true);
		expect(await runDailyDigest(database.db, ORIGIN, new Date('2026-12-03T18:00:00Z'))).toBe(false);
		expect(await runDailyDigest(database.db, ORIGIN, new Date('2026-12-04T06:01:00Z'))).toBe(true);
	});

	it('sends nothing of a kind turned off, and still shows it in the app', async () => {
		await database.db.delete(outbox);
		const prefs = await preferencesFor(database.db, people.camille);
		prefs.set('colleague_sick', { email: 'off', push: false });
		prefs.set('round_waiting', { email: 'off', push: false });
		await savePreferences(database.db, people.camille, prefs);
		const unread = await unreadCount(database.db, people.camille);
		await notify(database.db, {
			...sick,
			link: `/teams/${teamId}/rota`,
			teamId,
			recipients: [people.camille]
		});
		await notify(database.db, {
			teamId,
			recipients: [people.camille],
			kind: 'round_waiting',
			params: { round: 'advice', title: 'Nouveau logiciel de planning' },
			link: `/teams/${teamId}/decisions/advice/a1`
		});
		expect(await database.db.select().from(outbox)).toHaveLength(0);
		expect((await sendDigests(database.db, ORIGIN)).mails).toBe(0);
		expect(await unreadCount(database.db, people.camille)).toBe(unread + 2);
	});
});

describe('unsubscribe links', () => {
	it('stop the scope they name, for their user only; a forged or altered token does nothing', async () => {
		const token = await unsubscribeToken(database.db, people.aicha, 'swap_available');
		const [payload, mac] = token.split('.');
		const forged = `${Buffer.from(`${people.sophie}:swap_available`).toString('base64url')}.${mac}`;
		expect(await readUnsubscribeToken(database.db, forged)).toBeNull();
		expect(await readUnsubscribeToken(database.db, `${payload}.${mac!.slice(0, -2)}AA`)).toBeNull();
		expect(await readUnsubscribeToken(database.db, 'nonsense')).toBeNull();
		const target = (await readUnsubscribeToken(database.db, token))!;
		expect(await unsubscribe(database.db, target)).toBe(true);
		expect((await preferencesFor(database.db, people.aicha)).get('swap_available')).toEqual({
			email: 'off',
			push: true
		});
		expect((await preferencesFor(database.db, people.sophie)).get('swap_available')!.email).toBe(
			'immediate'
		);
	});

	it('for the digest, turn off every kind that went to the digest', async () => {
		const target = (await readUnsubscribeToken(
			database.db,
			await unsubscribeToken(database.db, people.sophie, 'digest')
		))!;
		await unsubscribe(database.db, target);
		const prefs = await preferencesFor(database.db, people.sophie);
		expect(prefs.get('review_due')!.email).toBe('off');
		expect(prefs.get('round_waiting')!.email).toBe('off');
		expect(prefs.get('colleague_sick')!.email).toBe('immediate');
	});
});

describe('the reminder sweep', () => {
	it('notifies a consent round waiting and a deadline within 24 h, once each', async () => {
		const now = new Date('2026-12-03T10:00:00Z');
		const d = await decisions.propose(database.db, async () => {}, {
			teamId,
			proposerId: people.aicha,
			title: 'Relève du soir à 19 h',
			driver: 'Les relèves tardives fatiguent.',
			text: 'La relève du soir passe à 19 h.',
			area: 'rota',
			reviewDate: '2026-12-01',
			mode: 'async',
			deadline: new Date(now.getTime() + 20 * 3_600_000).toISOString(),
			now
		});
		const opened = await decisions.move(database.db, async () => {}, {
			teamId,
			decisionId: d.id,
			userId: people.aicha,
			move: { type: 'open-round' },
			now
		});
		expect(opened.ok).toBe(true);
		await decisions.move(database.db, async () => {}, {
			teamId,
			decisionId: d.id,
			userId: people.aicha,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' },
			now
		});
		await database.db.delete(notification);
		await sweepReminders(database.db, now);
		const kinds = async (id: string) => (await list(database.db, id)).map((x) => x.kind).sort();
		// Aïcha answered; Camille and Sophie are waited on, and the deadline is 20 h away.
		expect(await kinds(people.aicha)).toEqual([]);
		expect(await kinds(people.camille)).toEqual(['deadline_soon', 'round_waiting']);
		expect(await kinds(people.sophie)).toEqual(['deadline_soon', 'round_waiting']);
		expect(await sweepReminders(database.db, now)).toBe(0);
	});
});

describe('election reminders', () => {
	it('name a template role in each recipient’s language, and a role the team named as written', async () => {
		await roles.addTemplates(database.db, teamId);
		const planner = (await roles.overview(database.db, teamId, '2026-12-03')).roles.find(
			(r) => r.templateKey === 'planner'
		)!;
		const electionId = await roles.startElection(database.db, {
			teamId,
			roleId: planner.id,
			convenerId: people.aicha
		});
		expect(electionId).not.toBeNull();
		await database.db.delete(notification);
		await sweepReminders(database.db, new Date('2026-12-03T10:00:00Z'), [teamId]);
		// As the app, the e-mail and the push render it: in the reader's language (user.locale).
		const said = async (id: string, locale: 'fr' | 'en') => {
			const rows = (await list(database.db, id)).filter(
				(r) => r.kind === 'round_waiting' && r.params.round === 'election'
			);
			expect(rows).toHaveLength(1);
			return inLocale(locale, () => notificationText(rows[0]!));
		};
		expect(await said(people.aicha, 'fr')).toBe(
			'Une élection attend votre réponse\u00a0: Planificateur·rice'
		);
		expect(await said(people.camille, 'en')).toBe(
			'An election is waiting for your answer: Planner'
		);
		// A role the team named itself keeps its name, whoever reads it.
		const own = {
			kind: 'round_waiting' as const,
			params: { round: 'election' as const, title: 'Référente plaies' }
		};
		expect(inLocale('en', () => notificationText(own))).toBe(
			'An election is waiting for your answer: Référente plaies'
		);
		expect(
			inLocale('en', () =>
				notificationText({ ...own, params: { ...own.params, roleTemplate: 'planner' } })
			)
		).toBe('An election is waiting for your answer: Référente plaies');
	});
});

import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient, addTransmission } from '../../src/lib/collab/caseload';
import { offerVisit, putVisit, removeVisit, updateVisit } from '../../src/lib/collab/rota';
import type { Visit } from '../../src/lib/domain/rota';
import { todayIn } from '../../src/lib/domain/time-zone';
import { addDays, weekOf } from '../../src/lib/domain/week';
import { Projections } from '../../src/lib/server/collab/projections';
import { CollabServer } from '../../src/lib/server/collab/server';
import { notification, outbox, rotaVisit } from '../../src/lib/server/db/schema';
import { deliverDue } from '../../src/lib/server/mail/outbox';
import { smtpTransport } from '../../src/lib/server/mail/transport';
import { subscribe } from '../../src/lib/server/notifications/push';
import { callInSick, take } from '../../src/lib/server/rota/replan';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';
import { CARE_AIDE, formTeam } from '../helpers/team';
import { decrypt, newDevice, startPushService } from '../helpers/push-service';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

// The events that reach members, from where they happen: a sick call and a take (replan.ts), a
// visit offered, a member's own visits changed by someone else (the rota projection) and an urgent
// transmission (the caseload projection). On a real database and collab server, with e-mail through
// a real SMTP server and push to a real HTTPS endpoint.

// Wednesday 2 December 2026, 10:00 in Paris (the sick call; the projections run on the real clock).
const NOW = new Date('2026-12-02T09:00:00Z');
const SICK_WEEK = '2026-W49';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let collab: CollabServer;
let projections: Projections | null = null;
let smtp: TestSmtp;
let transport: ReturnType<typeof smtpTransport>;
let push: Awaited<ReturnType<typeof startPushService>>;
const clients: Client[] = [];
let n = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	harness = await startCollab(database.db, { onCommit: (name) => projections?.notify(name) });
	collab = harness.collab;
	projections = new Projections(database.db, collab, { delayMs: 10 });
	smtp = await startSmtp();
	transport = smtpTransport(smtp.url, 'Kring <kring@example.org>');
	push = await startPushService();
}, 120_000);

afterAll(async () => {
	for (const c of clients) c.destroy();
	await projections?.settle();
	transport?.close();
	await smtp?.close();
	await push?.close();
	await harness?.stop();
	await projections?.stop();
	await database?.dispose();
});

const doc = (teamId: string, week: string) => `team/${teamId}/rota/${week}`;

/** A team of three (Aïcha and Marc nurses, Sophie a care aide) and a client, Mme Jeanne Roux. */
async function team() {
	const people = {
		aicha: await personWithSession(database.db, 'Aïcha Benali', `e${++n}a@example.org`),
		marc: await personWithSession(database.db, 'Marc Petit', `e${n}m@example.org`),
		sophie: await personWithSession(database.db, 'Sophie Garnier', `e${n}s@example.org`)
	};
	const teamId = await formTeam(
		database.db,
		people.aicha,
		[people.marc, [people.sophie, CARE_AIDE]],
		`Équipe ${n}`
	);
	await collab.change(`team/${teamId}/caseload`, (d) =>
		addClient(d, 'roux', { name: 'Mme Jeanne Roux', address: '1 rue Belfort', sector: 'Plateau' })
	);
	await projections!.refreshCaseload(teamId);
	return { teamId, people };
}

const visit = (
	id: string,
	date: string,
	start: number,
	carerId: string,
	qualification: Visit['qualification'] = 'any'
): Visit => ({
	id,
	clientId: 'roux',
	date,
	start,
	minutes: 30,
	carerId,
	qualification,
	changedAt: null,
	offer: null,
	cover: null
});

const noticesOf = (userId: string) =>
	database.db.select().from(notification).where(eq(notification.userId, userId));

/** Waits until the week's read model holds `check`, then for the projection (and its notices) to settle. */
async function projected(
	teamId: string,
	week: string,
	check: (rows: { id: string; carerId: string | null; start: number }[]) => boolean
) {
	await waitFor(async () => {
		const rows = await database.db
			.select({ id: rotaVisit.id, carerId: rotaVisit.carerId, start: rotaVisit.start })
			.from(rotaVisit)
			.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.week, week)));
		return check(rows);
	}, 'the rota read model');
	await projections!.settle(teamId);
}

const open = async (name: string, token: string) => {
	const client = openDocument(harness.origin, name, token);
	clients.push(client);
	await client.synced;
	return client;
};

describe('a sick call and a take', () => {
	it('tells teammates, offers each visit to those who can take it (mail and push), and the one off sick', async () => {
		const { teamId, people } = await team();
		const device = newDevice();
		await subscribe(database.db, people.marc.id, {
			endpoint: `${push.url}/marc-${teamId}`,
			keys: device.keys
		});
		await collab.change(doc(teamId, SICK_WEEK), (d) => {
			putVisit(d, visit('later', '2026-12-02', 14 * 60, people.aicha.id));
			putVisit(d, visit('dressing', '2026-12-02', 16 * 60, people.aicha.id, 'nurse'));
		});
		await database.db.delete(outbox);
		const pushedBefore = push.received.length;

		// Marc records it for Aïcha, who phoned in.
		expect(
			await callInSick(database.db, collab, {
				teamId,
				memberId: people.aicha.id,
				recordedBy: people.marc.id,
				extraDays: 0,
				now: NOW
			})
		).toEqual({ ok: true, covered: 2 });

		const marc = await noticesOf(people.marc.id);
		const sophie = await noticesOf(people.sophie.id);
		const aicha = await noticesOf(people.aicha.id);
		expect(marc.map((r) => r.kind).sort()).toEqual([
			'colleague_sick',
			'swap_available',
			'swap_available'
		]);
		expect(marc.find((r) => r.kind === 'colleague_sick')).toMatchObject({
			params: { colleague: 'Aïcha Benali', visits: 2 },
			link: `/teams/${teamId}/rota/${SICK_WEEK}`
		});
		// The care aide cannot take the nurse's dressing: only the other visit is offered to her.
		expect(sophie.map((r) => r.kind).sort()).toEqual(['colleague_sick', 'swap_available']);
		expect(sophie.find((r) => r.kind === 'swap_available')!.params).toEqual({
			date: '2026-12-02',
			start: '14:00',
			clientInitials: 'Mme J. R.',
			sector: 'Plateau',
			offeredBy: 'Aïcha Benali'
		});
		// Aïcha, whose call Marc recorded, learns which visits left her.
		expect(aicha.map((r) => [r.kind, (r.params as { change: string }).change])).toEqual([
			['own_visit_changed', 'removed'],
			['own_visit_changed', 'removed']
		]);

		// By e-mail (urgent kinds go at once), through a real SMTP server: initials, never the name.
		const before = smtp.received.length;
		const { sent } = await deliverDue(database.db, transport, NOW);
		expect(sent).toBe(marc.length + sophie.length + aicha.length);
		const mails = (await smtp.waitFor(before + sent)).slice(before);
		const toMarc = mails.filter((m) => m.to[0] === `e${n}m@example.org`);
		expect(toMarc).toHaveLength(3);
		for (const mail of mails) {
			expect(mail.raw).not.toMatch(/Jeanne|Roux/);
			expect(mail.text).toContain(`/teams/${teamId}/rota/${SICK_WEEK}`);
		}
		// And pushed to Marc's device, encrypted for it.
		await push.waitFor(pushedBefore + 3);
		const bodies = push.received
			.slice(pushedBefore)
			.filter((r) => r.path === `/marc-${teamId}`)
			.map((r) => JSON.parse(decrypt(r.body, device)) as { body: string; link: string });
		expect(bodies).toHaveLength(3);
		expect(bodies.every((b) => b.link === `/teams/${teamId}/rota/${SICK_WEEK}`)).toBe(true);
		expect(bodies.map((b) => b.body).join('\n')).toContain('Aïcha Benali');

		// Sophie takes the visit: Aïcha, whose visit it was, is told who took it.
		expect(
			await take(database.db, collab, {
				teamId,
				week: SICK_WEEK,
				visitId: 'later',
				takerId: people.sophie.id,
				now: NOW
			})
		).toEqual({ ok: true });
		const taken = (await noticesOf(people.aicha.id)).filter((r) => r.kind === 'swap_taken');
		expect(taken.map((r) => r.params)).toEqual([
			{
				date: '2026-12-02',
				start: '14:00',
				clientInitials: 'Mme J. R.',
				sector: 'Plateau',
				takenBy: 'Sophie Garnier'
			}
		]);
		// The taker gets no notice about her own take.
		expect((await noticesOf(people.sophie.id)).map((r) => r.kind).sort()).toEqual([
			'colleague_sick',
			'swap_available'
		]);
	});

	it('a sick call the member makes themselves does not tell them', async () => {
		const { teamId, people } = await team();
		await collab.change(doc(teamId, SICK_WEEK), (d) =>
			putVisit(d, visit('later', '2026-12-02', 14 * 60, people.aicha.id))
		);
		await callInSick(database.db, collab, {
			teamId,
			memberId: people.aicha.id,
			recordedBy: people.aicha.id,
			extraDays: 0,
			now: NOW
		});
		await projections!.settle(teamId);
		expect(await noticesOf(people.aicha.id)).toEqual([]);
		expect((await noticesOf(people.marc.id)).map((r) => r.kind).sort()).toEqual([
			'colleague_sick',
			'swap_available'
		]);
	});
});

describe('changes made in the rota', () => {
	const today = todayIn();
	const soon = addDays(today, 2);
	const week = weekOf(soon);

	it('a visit its carer offers goes to the colleagues who can take it, once', async () => {
		const { teamId, people } = await team();
		await collab.change(doc(teamId, week), (d) =>
			putVisit(d, visit('offered', soon, 14 * 60, people.aicha.id))
		);
		await projected(teamId, week, (rows) => rows.length === 1);
		const grid = await open(doc(teamId, week), people.aicha.token);
		offerVisit(grid.doc, 'offered', people.aicha.id);
		await waitFor(
			async () => (await noticesOf(people.sophie.id)).length === 1,
			'the offer reaching Sophie'
		);
		await waitFor(
			async () => (await noticesOf(people.marc.id)).length === 1,
			'the offer reaching Marc'
		);
		const [notice] = await noticesOf(people.sophie.id);
		expect(notice).toMatchObject({
			kind: 'swap_available',
			params: {
				date: soon,
				start: '14:00',
				clientInitials: 'Mme J. R.',
				offeredBy: 'Aïcha Benali'
			},
			link: `/teams/${teamId}/rota/${week}`
		});
		expect(await noticesOf(people.aicha.id)).toEqual([]);
		// Another edit of the week projects it again: the same offer is not told twice.
		grid.doc.transact(() => putVisit(grid.doc, visit('other', soon, 8 * 60, people.marc.id)));
		await projected(teamId, week, (rows) => rows.length === 2);
		expect(await noticesOf(people.sophie.id)).toHaveLength(1);
	});

	it('tells an offer whose visit id Postgres cannot hold, and the week’s other offers, once each', async () => {
		// Any member may give a visit any id: a NUL in one, or 5,000 characters, must not silence the
		// offers of the whole week (the notices' keys are built from visit ids).
		const { teamId, people } = await team();
		const odd = `odd\u0000${'x'.repeat(5_000)}`;
		const grid = await open(doc(teamId, week), people.aicha.token);
		grid.doc.transact(() => {
			putVisit(grid.doc, visit(odd, soon, 10 * 60, people.aicha.id));
			putVisit(grid.doc, visit('fine', soon, 14 * 60, people.aicha.id));
		});
		await projected(teamId, week, (rows) => rows.length === 2);
		grid.doc.transact(() => {
			offerVisit(grid.doc, odd, people.aicha.id);
			offerVisit(grid.doc, 'fine', people.aicha.id);
		});
		await waitFor(
			async () => (await noticesOf(people.sophie.id)).length === 2,
			'both offers reaching Sophie'
		);
		const starts = (await noticesOf(people.sophie.id)).map(
			(n) => (n.params as { start: string }).start
		);
		expect(starts.sort()).toEqual(['10:00', '14:00']);
		// Projected again: neither offer is told twice.
		grid.doc.transact(() => putVisit(grid.doc, visit('other', soon, 8 * 60, people.marc.id)));
		await projected(teamId, week, (rows) => rows.length === 3);
		expect(await noticesOf(people.sophie.id)).toHaveLength(2);
	});

	it('tells a member when someone else adds, moves or removes their visit inside 7 days, not for their own edits', async () => {
		const { teamId, people } = await team();
		await collab.change(doc(teamId, week), (d) => {
			putVisit(d, visit('a1', soon, 9 * 60, people.aicha.id));
			putVisit(d, visit('a2', soon, 11 * 60, people.aicha.id));
			putVisit(d, visit('a3', soon, 15 * 60, people.aicha.id));
		});
		await projected(teamId, week, (rows) => rows.length === 3);
		const mine = await open(doc(teamId, week), people.aicha.token);
		const marcs = await open(doc(teamId, week), people.marc.token);

		// Aïcha moves her own visit: nobody is told.
		updateVisit(mine.doc, 'a1', { start: 9 * 60 + 30 });
		await projected(teamId, week, (rows) => rows.some((r) => r.id === 'a1' && r.start === 570));
		expect(await noticesOf(people.aicha.id)).toEqual([]);

		// Marc moves one, removes one, and gives Sophie a new one.
		updateVisit(marcs.doc, 'a2', { start: 12 * 60 });
		removeVisit(marcs.doc, 'a3');
		putVisit(marcs.doc, visit('s1', soon, 17 * 60, people.sophie.id));
		await projected(teamId, week, (rows) => rows.length === 3 && rows.some((r) => r.id === 's1'));
		await waitFor(
			async () => (await noticesOf(people.aicha.id)).length === 2,
			'Aïcha’s two notices'
		);
		const aicha = await noticesOf(people.aicha.id);
		expect(
			aicha
				.map((r) => r.params as { change: string; start: string })
				.map((p) => [p.change, p.start])
				.sort()
		).toEqual([
			['moved', '12:00'],
			['removed', '15:00']
		]);
		await waitFor(async () => (await noticesOf(people.sophie.id)).length === 1, 'Sophie’s notice');
		expect((await noticesOf(people.sophie.id))[0]).toMatchObject({
			kind: 'own_visit_changed',
			params: { change: 'added', date: soon, start: '17:00', clientInitials: 'Mme J. R.' }
		});
		expect(await noticesOf(people.marc.id)).toEqual([]);

		// Moving it again at once is the same notice (no spam while dragging).
		updateVisit(marcs.doc, 'a2', { start: 12 * 60 + 15 });
		await projected(teamId, week, (rows) => rows.some((r) => r.id === 'a2' && r.start === 735));
		expect(await noticesOf(people.aicha.id)).toHaveLength(2);
	});

	it('tells nobody about changes beyond the 7-day notice window', async () => {
		const { teamId, people } = await team();
		const later = addDays(today, 10);
		const laterWeek = weekOf(later);
		await collab.change(doc(teamId, laterWeek), (d) =>
			putVisit(d, visit('far', later, 9 * 60, people.aicha.id))
		);
		await projected(teamId, laterWeek, (rows) => rows.length === 1);
		const marcs = await open(doc(teamId, laterWeek), people.marc.token);
		updateVisit(marcs.doc, 'far', { start: 10 * 60 });
		await projected(teamId, laterWeek, (rows) => rows[0]?.start === 600);
		expect(await noticesOf(people.aicha.id)).toEqual([]);
	});
});

describe('an urgent transmission', () => {
	it('reaches those who visit the client in the next 48 hours, except its author', async () => {
		const { teamId, people } = await team();
		const today = todayIn();
		const tomorrow = addDays(today, 1);
		const far = addDays(today, 5);
		for (const [id, date, carer] of [
			['m1', tomorrow, people.marc.id],
			['s1', tomorrow, people.sophie.id],
			['a1', far, people.aicha.id]
		] as const) {
			await collab.change(doc(teamId, weekOf(date)), (d) =>
				putVisit(d, visit(id, date, 9 * 60, carer))
			);
		}
		await projections!.settle(teamId);
		await projected(teamId, weekOf(tomorrow), (rows) => rows.some((r) => r.id === 's1'));
		await projected(teamId, weekOf(far), (rows) => rows.some((r) => r.id === 'a1'));

		const caseload = await open(`team/${teamId}/caseload`, people.marc.token);
		addTransmission(caseload.doc, 'roux', {
			authorId: people.marc.id,
			authorName: 'Marc Petit',
			text: 'Chute cette nuit : surveiller la hanche',
			urgent: true
		});
		await waitFor(
			async () => (await noticesOf(people.sophie.id)).length === 1,
			'the urgent notice reaching Sophie'
		);
		await projections!.settle(teamId);
		const [notice] = await noticesOf(people.sophie.id);
		expect(notice).toMatchObject({
			kind: 'urgent_transmission',
			params: { clientInitials: 'Mme J. R.', sector: 'Plateau', date: tomorrow },
			link: `/teams/${teamId}/caseload/roux`
		});
		// Nothing of the note itself in the stored notice.
		expect(JSON.stringify(notice)).not.toMatch(/hanche|Chute|Roux/);
		expect(await noticesOf(people.marc.id)).toEqual([]);
		expect(await noticesOf(people.aicha.id)).toEqual([]);

		// A non-urgent note tells nobody; the urgent one is not told twice.
		addTransmission(caseload.doc, 'roux', {
			authorId: people.marc.id,
			authorName: 'Marc Petit',
			text: 'RAS'
		});
		await waitFor(
			async () =>
				(
					await collab.read(`team/${teamId}/caseload`, (d) =>
						JSON.stringify(d.getMap('clients').toJSON())
					)
				).includes('RAS'),
			'the second note on the server'
		);
		await projections!.refreshCaseload(teamId);
		expect(await noticesOf(people.sophie.id)).toHaveLength(1);
	});
});

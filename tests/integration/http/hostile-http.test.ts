import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../helpers/browser-like';
import { demo, teamIdsOf } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

// The HTTP edges of issue 15, tried as an attacker would, each next to its control: open redirects
// through `next`, reserved and unknown action names, malformed team paths, and a lockout kept up
// by someone who only knows the email.

let server: RunningServer;
let member: HttpClient;
let teamId: string;

// Client addresses as a proxy reports them (adapter-node reads the last X-Forwarded-For entry).
const OWN = { 'x-forwarded-for': '192.0.2.10' };
const ATTACKER = { 'x-forwarded-for': '203.0.113.66' };
const ELSEWHERE = { 'x-forwarded-for': '198.51.100.20' };

const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
	server = await startServer({ env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' } });
	member = await logIn(new HttpClient(server.origin), demo.memberA, demo.password, OWN);
	teamId = (await teamIdsOf(member))[0]!;
}, 180_000); // the built server can take over a minute to start on a loaded machine
afterAll(async () => {
	await server?.stop();
});

async function logIn(
	client: HttpClient,
	email: string,
	password: string,
	from: Record<string, string>
): Promise<HttpClient> {
	const response = await client.post('/login', { email, password }, from);
	if (response.status !== 303) throw new Error(`login of ${email}: ${response.status}`);
	return client;
}

let accounts = 0;
/** A new account, signed up in a browser of its own (which the sign-up makes a known device). */
async function newAccount(): Promise<{ email: string; browser: HttpClient }> {
	const email = `nurse-${process.pid}-${++accounts}@example.org`;
	const browser = new HttpClient(server.origin);
	const response = await browser.post('/signup', { name: 'Nurse', email, password: PASSWORD }, OWN);
	expect(response.status).toBe(303);
	const device = response.headers.getSetCookie().find((line) => line.startsWith('device='));
	expect(device).toMatch(/^device=[a-z2-7]{32};.*HttpOnly/i);
	// Logged out again (a signed-in visitor of /login is sent on): the device token stays.
	expect((await browser.post('/logout', {})).status).toBe(303);
	expect(browser.sessionCookie).toBeUndefined();
	return { email, browser };
}

const query = (next: string) => `next=${encodeURIComponent(next)}`;

/** Targets that lead off the site once a browser reads them. */
const OFF_SITE = [
	'/\t/evil.example/x',
	'//evil.example/x',
	'///evil.example/x',
	'/\\evil.example/x',
	'\\\\evil.example/x',
	'/%2F/evil.example/x',
	'/%5Cevil.example/x',
	'/..//evil.example/x',
	'https://evil.example/x',
	'javascript:alert(1)',
	'evil.example/x'
];
/** Targets that cannot even be written as a Location header. */
const UNWRITABLE = [
	'/\r\nSet-Cookie: a=b',
	'/\n',
	'/\r',
	'/\v',
	'/\u2028',
	'/\u2029',
	'/\u0000',
	'/\u0085'
];

describe('next never leads off the site', () => {
	it('answers the reported payload, sent raw, with a redirect home (control: a path of the site is kept)', async () => {
		const attack = await member.get('/login?next=/%09/evil.example/x');
		expect(attack.status).toBe(303);
		expect(attack.headers.get('location')).toBe('/');
		const control = await member.get(`/login?next=/teams/${teamId}`);
		expect(control.status).toBe(303);
		expect(control.headers.get('location')).toBe(`/teams/${teamId}`);
	});

	it.each([...OFF_SITE, ...UNWRITABLE])(
		'sends a signed-in visitor of /login and /signup home for next=%j',
		async (next) => {
			for (const page of ['/login', '/signup']) {
				const response = await member.get(`${page}?${query(next)}`);
				expect(response.status).toBe(303);
				expect(response.headers.get('location')).toBe('/');
			}
		}
	);

	it('keeps a path of the site for a signed-in visitor of /login and /signup (control)', async () => {
		for (const page of ['/login', '/signup']) {
			const response = await member.get(`${page}?${query('/account?tab=1')}`);
			expect(response.status).toBe(303);
			expect(response.headers.get('location')).toBe('/account?tab=1');
		}
	});

	it.each([...OFF_SITE, ...UNWRITABLE])('sends a login home for next=%j', async (next) => {
		const browser = new HttpClient(server.origin);
		const response = await browser.post(
			`/login?${query(next)}`,
			{ email: demo.secondMemberA, password: demo.password },
			OWN
		);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
	});

	it('sends a login to the page it came from (control)', async () => {
		const browser = new HttpClient(server.origin);
		const response = await browser.post(
			`/login?${query(`/teams/${teamId}/pulse`)}`,
			{ email: demo.secondMemberA, password: demo.password },
			OWN
		);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/teams/${teamId}/pulse`);
	});

	it('sends a sign-up home for an off-site next, and to the page for a path of the site', async () => {
		const attack = await new HttpClient(server.origin).post(
			`/signup?${query('/\t/evil.example/x')}`,
			{ name: 'Nurse', email: `signup-attack-${process.pid}@example.org`, password: PASSWORD },
			OWN
		);
		expect(attack.status).toBe(303);
		expect(attack.headers.get('location')).toBe('/');
		const control = await new HttpClient(server.origin).post(
			`/signup?${query('/teams/new')}`,
			{ name: 'Nurse', email: `signup-control-${process.pid}@example.org`, password: PASSWORD },
			OWN
		);
		expect(control.status).toBe(303);
		expect(control.headers.get('location')).toBe('/teams/new');
	});

	it.each([...OFF_SITE, ...UNWRITABLE])(
		'sends a language switch home for next=%j',
		async (next) => {
			const response = await member.post('/language', { locale: 'fr', next });
			expect(response.status).toBe(303);
			expect(response.headers.get('location')).toBe('/');
		}
	);

	it('sends a language switch back to the page (control)', async () => {
		const response = await member.post('/language', { locale: 'fr', next: `/teams/${teamId}` });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/teams/${teamId}`);
	});
});

describe('action names no page defines', () => {
	// /login and /signup as a stranger would post them (a signed-in visitor is sent on after the
	// action); the other pages as a member.
	const pages = () => [
		{ path: '/login', client: new HttpClient(server.origin), headers: OWN },
		{ path: '/signup', client: new HttpClient(server.origin), headers: OWN },
		{ path: '/teams/new', client: member, headers: {} },
		{ path: '/invite/x', client: member, headers: {} },
		{ path: `/teams/${teamId}/pulse`, client: member, headers: {} }
	];

	it.each(['default', 'nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
		'answers POST ?/%s with a 404 on every page, for plain and enhanced forms',
		async (name) => {
			for (const { path, client, headers } of pages()) {
				for (const accept of ['text/html', 'application/json']) {
					const response = await client.post(`${path}?/${name}`, {}, { ...headers, accept });
					expect({ path, accept, status: response.status }).toEqual({ path, accept, status: 404 });
				}
			}
			expect((await fetch(`${server.origin}/api/health`)).status).toBe(200);
		}
	);

	it('runs the default action on the same empty form, which refuses it as invalid (control)', async () => {
		for (const { path, client, headers } of pages()) {
			// As an enhanced form: the action's own answer, without the page's load after it.
			const response = await client.post(path, {}, { ...headers, accept: 'application/json' });
			const result = (await response.json()) as { type: string; status: number };
			expect({ path, type: result.type, status: result.status }).toEqual({
				path,
				type: 'failure',
				status: 400
			});
		}
	});
});

describe('malformed team paths', () => {
	it.each([
		['a NUL in the team id', () => `/teams/%00/pulse`, 404],
		['a NUL after a real team id', () => `/teams/${teamId}%00/pulse`, 404],
		['a control character in a nested id', () => `/teams/${teamId}/decisions/%00`, 404],
		['a line break in a nested id', () => `/teams/${teamId}/meetings/a%0D%0Ab`, 404],
		['an id that is not one', () => `/teams/not-an-id/pulse`, 404],
		['an id too long for any', () => `/teams/${'a'.repeat(5000)}/pulse`, 404],
		['bad percent-encoding', () => `/teams/%E0%A4%A/pulse`, 400],
		['a lone percent sign', () => `/teams/%ZZ/pulse`, 400]
	])('answers %s without a 500', async (_, path, status) => {
		expect((await member.get(path())).status).toBe(status);
		expect((await member.post(path(), {})).status).toBe(status);
	});

	it('serves the real team path, and still does after all that (control)', async () => {
		expect((await member.get(`/teams/${teamId}/pulse`)).status).toBe(200);
	});
});

describe('a lockout kept up by someone who knows only the email', () => {
	it('lets the owner in from a known device while strangers, and the owner on a new device, wait', async () => {
		const { email, browser: phone } = await newAccount();
		const attacker = new HttpClient(server.origin);
		const answers: number[] = [];
		for (let i = 0; i < 10; i++) {
			answers.push(
				(await attacker.post('/login', { email, password: `guess ${i}` }, ATTACKER)).status
			);
		}
		expect(answers).toEqual([400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);

		// The attack: the owner's phone, which has logged in before, from another address.
		const owner = await phone.post('/login', { email, password: PASSWORD }, ELSEWHERE);
		expect(owner.status).toBe(303);
		expect((await phone.get('/account')).status).toBe(200);

		// The control: the same owner on a browser that never logged in is throttled.
		const newLaptop = new HttpClient(server.origin);
		const refused = await newLaptop.post('/login', { email, password: PASSWORD }, ELSEWHERE);
		expect(refused.status).toBe(429);
		// ...and so is the attacker, even with the right password.
		expect((await attacker.post('/login', { email, password: PASSWORD }, ATTACKER)).status).toBe(
			429
		);
	});

	it('does not trust a device of another account', async () => {
		const victim = await newAccount();
		const attacker = await newAccount(); // the attacker's browser knows the attacker's account only
		for (let i = 0; i < 5; i++) {
			await attacker.browser.post(
				'/login',
				{ email: victim.email, password: `guess ${i}` },
				ATTACKER
			);
		}
		const refused = await attacker.browser.post(
			'/login',
			{ email: victim.email, password: `guess 5` },
			ATTACKER
		);
		expect(refused.status).toBe(429);
		// Control: the victim's own browser still gets in.
		expect(
			(await victim.browser.post('/login', { email: victim.email, password: PASSWORD }, ELSEWHERE))
				.status
		).toBe(303);
	});

	it('gives a known device only its own few tries', async () => {
		const { email, browser } = await newAccount();
		const answers: number[] = [];
		for (let i = 0; i < 6; i++) {
			answers.push((await browser.post('/login', { email, password: `typo ${i}` }, OWN)).status);
		}
		expect(answers).toEqual([400, 400, 400, 400, 400, 429]);
		expect((await browser.post('/login', { email, password: PASSWORD }, OWN)).status).toBe(429);
	});
});

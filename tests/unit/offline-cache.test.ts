import { describe, expect, it } from 'vitest';
import {
	MEMBER_PAGE_HEADER,
	assetCacheName,
	databasesToDelete,
	isKeptPage,
	isPageCache,
	isPageNavigation,
	keptForSomeoneElse,
	keptPageLabel,
	pageCacheName,
	staleCaches
} from '../../src/lib/domain/offline-cache';

const ORIGIN = 'https://kring.example.fr';
const nav = (path: string, method = 'GET', mode = 'navigate') => ({
	method,
	mode,
	url: `${ORIGIN}${path}`
});
const answer = (
	over: Partial<{ status: number; type: string; redirected: boolean }> = {},
	headers: Record<string, string> = {
		'content-type': 'text/html; charset=utf-8',
		[MEMBER_PAGE_HEADER]: 'u1'
	}
) => ({
	status: 200,
	type: 'basic',
	redirected: false,
	...over,
	headers: new Headers(headers)
});

describe('which requests the worker handles as pages', () => {
	it('takes GET navigations of this site', () => {
		expect(isPageNavigation(nav('/teams/t1/caseload/c1'), ORIGIN)).toBe(true);
		expect(isPageNavigation(nav('/day'), ORIGIN)).toBe(true);
		expect(isPageNavigation(nav('/'), ORIGIN)).toBe(true);
	});

	it('leaves form posts, data requests and other sites to the network', () => {
		expect(isPageNavigation(nav('/teams/t1', 'POST'), ORIGIN)).toBe(false);
		expect(isPageNavigation(nav('/teams/t1/__data.json', 'GET', 'cors'), ORIGIN)).toBe(false);
		expect(isPageNavigation({ ...nav('/'), url: 'https://elsewhere.example/' }, ORIGIN)).toBe(
			false
		);
	});

	it('never handles logout, login, sign-up, invitations, the API, feeds or the board socket', () => {
		for (const path of [
			'/logout',
			'/login',
			'/login?next=/day',
			'/signup',
			'/invite/abc',
			'/language',
			'/api/health',
			'/feed/abc.ics',
			'/collab/team/t1/caseload'
		]) {
			expect(isPageNavigation(nav(path), ORIGIN), path).toBe(false);
		}
		// …but a page whose name merely starts alike is a page
		expect(isPageNavigation(nav('/logouts'), ORIGIN)).toBe(true);
	});
});

describe('which pages are kept on the device', () => {
	it('keeps a member page the network answered', () => {
		expect(isKeptPage(nav('/teams/t1/caseload/c1'), answer(), ORIGIN)).toBe(true);
	});

	it('does not keep guest pages (no member mark), errors, redirects or non-HTML', () => {
		const page = nav('/teams/t1');
		expect(isKeptPage(page, answer({}, { 'content-type': 'text/html' }), ORIGIN)).toBe(false);
		expect(isKeptPage(page, answer({ status: 404 }), ORIGIN)).toBe(false);
		expect(isKeptPage(page, answer({ status: 500 }), ORIGIN)).toBe(false);
		expect(isKeptPage(page, answer({ redirected: true }), ORIGIN)).toBe(false);
		expect(isKeptPage(page, answer({ type: 'opaqueredirect', status: 0 }), ORIGIN)).toBe(false);
		expect(
			isKeptPage(
				page,
				answer({}, { 'content-type': 'application/json', [MEMBER_PAGE_HEADER]: 'u1' }),
				ORIGIN
			)
		).toBe(false);
	});

	it('does not keep what it never handles, even when marked', () => {
		expect(isKeptPage(nav('/logout', 'POST'), answer(), ORIGIN)).toBe(false);
		expect(isKeptPage(nav('/login', 'POST'), answer(), ORIGIN)).toBe(false);
		expect(isKeptPage(nav('/api/x'), answer(), ORIGIN)).toBe(false);
		expect(isKeptPage(nav('/feed/x.ics'), answer(), ORIGIN)).toBe(false);
		expect(isKeptPage(nav('/teams/t1', 'PUT'), answer(), ORIGIN)).toBe(false);
		// the offline page is kept apart, by the worker itself
		expect(isKeptPage(nav('/offline'), answer(), ORIGIN)).toBe(false);
	});
});

describe('a different member on the same device', () => {
	it('removes pages rendered for anyone else, never theirs', () => {
		const page = (user: string | null) =>
			new Headers(user === null ? {} : { [MEMBER_PAGE_HEADER]: user });
		expect(keptForSomeoneElse(page('u1'), 'u1')).toBe(false);
		expect(keptForSomeoneElse(page('u2'), 'u1')).toBe(true);
		expect(keptForSomeoneElse(page(null), 'u1')).toBe(true);
	});
});

describe('how the offline page lists a kept page', () => {
	it('by what it is, as its title says, without the app name every title ends with', () => {
		expect(
			keptPageLabel('M. Gilbert Lambert · Équipe Croix-Rousse · Kring', '/teams/t/caseload/c')
		).toBe('M. Gilbert Lambert · Équipe Croix-Rousse');
		expect(keptPageLabel('Ma journée · jeu. 3 déc. · Équipe Croix-Rousse · Kring', '/day')).toBe(
			'Ma journée · jeu. 3 déc. · Équipe Croix-Rousse'
		);
		// A title that is the app name alone, or none at all: the address says what it is.
		expect(keptPageLabel('Kring', '/')).toBe('Kring');
		expect(keptPageLabel('  ', '/account')).toBe('/account');
	});
});

describe('the caches of a new build', () => {
	it('activating a version deletes every Kring cache of other versions and nothing else', () => {
		const names = [
			assetCacheName('100'),
			pageCacheName('100'),
			assetCacheName('200'),
			pageCacheName('200'),
			'someone-elses-cache'
		];
		expect(staleCaches(names, '200')).toEqual([assetCacheName('100'), pageCacheName('100')]);
		expect(staleCaches(names, '300')).toEqual(names.slice(0, 4));
		expect(staleCaches([assetCacheName('200'), pageCacheName('200')], '200')).toEqual([]);
	});

	it('tells page caches from asset caches', () => {
		expect(isPageCache(pageCacheName('1'))).toBe(true);
		expect(isPageCache(assetCacheName('1'))).toBe(false);
	});
});

describe('the offline copies (IndexedDB) to delete', () => {
	const names = ['kring:u1:team/t1/caseload', 'kring:u2:team/t1/caseload', 'other-app', undefined];

	it('at logout: every Kring database', () => {
		expect(databasesToDelete(names, null)).toEqual([
			'kring:u1:team/t1/caseload',
			'kring:u2:team/t1/caseload'
		]);
	});

	it('when another member signs in: everyone else’s, never theirs', () => {
		expect(databasesToDelete(names, 'u2')).toEqual(['kring:u1:team/t1/caseload']);
		// a user id that is a prefix of another does not protect the other
		expect(databasesToDelete(['kring:u1:a', 'kring:u10:a'], 'u1')).toEqual(['kring:u10:a']);
	});
});

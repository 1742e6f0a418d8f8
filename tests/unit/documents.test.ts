import { describe, expect, it } from 'vitest';
import {
	documentAccess,
	formatDocumentName,
	parseDocumentName
} from '../../src/lib/domain/documents';
import { isoWeeksInYear } from '../../src/lib/domain/week';

const team = 'abcdefghijklmnopqrstuvwx';

describe('parseDocumentName', () => {
	it('reads the five kinds of document', () => {
		expect(parseDocumentName(`team/${team}/caseload`)).toEqual({ kind: 'caseload', teamId: team });
		expect(parseDocumentName(`team/${team}/board`)).toEqual({ kind: 'board', teamId: team });
		expect(parseDocumentName(`team/${team}/governance`)).toEqual({
			kind: 'governance',
			teamId: team
		});
		expect(parseDocumentName(`team/${team}/rota/2026-W48`)).toEqual({
			kind: 'rota',
			teamId: team,
			year: 2026,
			week: 48
		});
		expect(parseDocumentName(`team/${team}/meeting/mq`)).toEqual({
			kind: 'meeting',
			teamId: team,
			meetingId: 'mq'
		});
	});

	it('refuses unknown kinds, bad weeks and anything loose', () => {
		for (const bad of [
			'',
			`team/${team}`,
			`team/${team}/secrets`,
			`team/${team}/caseload/`,
			`team/${team}/board/`,
			`/team/${team}/caseload`,
			`team/${team}/rota/2026-W00`,
			`team/${team}/rota/2026-W54`,
			`team/${team}/rota/2025-W53`, // 2025 has 52 ISO weeks
			`team/${team}/rota/2026-48`,
			`team/${team}/rota/26-W48`,
			`team/${team.toUpperCase()}/caseload`,
			`team/../caseload`,
			`team/${team}/meeting/`,
			`team/${team}/meeting/a b`,
			`team/${'a'.repeat(65)}/caseload`,
			`team/${team}/caseload\n`
		]) {
			expect(parseDocumentName(bad), bad).toBeNull();
		}
	});

	it('knows which years have a week 53', () => {
		expect(isoWeeksInYear(2026)).toBe(53);
		expect(isoWeeksInYear(2025)).toBe(52);
		expect(isoWeeksInYear(2020)).toBe(53);
		expect(parseDocumentName(`team/${team}/rota/2026-W53`)).not.toBeNull();
	});

	it('writes names back the way it reads them', () => {
		for (const name of [
			`team/${team}/caseload`,
			`team/${team}/board`,
			`team/${team}/rota/2027-W01`,
			`team/${team}/meeting/xq`
		]) {
			expect(formatDocumentName(parseDocumentName(name)!)).toBe(name);
		}
	});
});

describe('documentAccess', () => {
	const caseload = parseDocumentName(`team/${team}/caseload`)!;
	const governance = parseDocumentName(`team/${team}/governance`)!;
	const rota = parseDocumentName(`team/${team}/rota/2026-W48`)!;
	const board = parseDocumentName(`team/${team}/board`)!;

	it('lets members write the board and only read governance', () => {
		expect(documentAccess(caseload, 'member')).toBe('write');
		expect(documentAccess(rota, 'member')).toBe('write');
		expect(documentAccess(board, 'member')).toBe('write');
		expect(documentAccess(governance, 'member')).toBe('read');
	});

	it('opens nothing to coaches or outsiders', () => {
		for (const doc of [caseload, board, governance, rota]) {
			expect(documentAccess(doc, 'coach')).toBe('none');
			expect(documentAccess(doc, null)).toBe('none');
		}
	});
});

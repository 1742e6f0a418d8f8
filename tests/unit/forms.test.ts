import { describe, expect, it } from 'vitest';
import {
	hoursToMinutes,
	loginSchema,
	memberProfileSchema,
	parseForm,
	passwordChangeSchema,
	signupSchema,
	teamCreateSchema
} from '../../src/lib/domain/forms';

function form(fields: Record<string, string | Blob>): FormData {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.append(k, v);
	return data;
}

describe('parseForm', () => {
	it('accepts a valid sign-up and normalises the email', () => {
		const result = parseForm(
			signupSchema,
			form({
				name: '  Aïcha Benali ',
				email: ' Aicha.Benali@Example.ORG ',
				password: 'correct horse battery'
			})
		);
		expect(result).toEqual({
			ok: true,
			data: {
				name: 'Aïcha Benali',
				email: 'aicha.benali@example.org',
				password: 'correct horse battery'
			}
		});
	});

	it('reports every empty or missing field as required', () => {
		const result = parseForm(signupSchema, form({ name: '   ', email: '' }));
		expect(result).toEqual({
			ok: false,
			errors: { name: 'required', email: 'required', password: 'required' }
		});
	});

	it('refuses an oversized name as too long, not as a crash', () => {
		const result = parseForm(
			signupSchema,
			form({ name: 'x'.repeat(1024 * 1024), email: 'a@b.fr', password: 'long enough password' })
		);
		expect(result).toEqual({ ok: false, errors: { name: 'too_long' } });
	});

	it('treats a file where text was expected as invalid', () => {
		const result = parseForm(loginSchema, form({ email: new Blob(['x']), password: 'whatever' }));
		expect(result).toEqual({ ok: false, errors: { email: 'invalid' } });
	});

	it('refuses control characters in names', () => {
		const result = parseForm(
			teamCreateSchema,
			form({ name: 'Équipe\u0000Nord', profession: 'nurse', contractHours: '35' })
		);
		expect(result).toEqual({ ok: false, errors: { name: 'invalid' } });
	});

	it('refuses a malformed email and a short password', () => {
		const result = parseForm(
			signupSchema,
			form({ name: 'A', email: 'not-an-email', password: 'short' })
		);
		expect(result).toEqual({
			ok: false,
			errors: { email: 'email_invalid', password: 'password_too_short' }
		});
	});

	it('caps passwords so hashing cannot be abused', () => {
		const result = parseForm(loginSchema, form({ email: 'a@b.fr', password: 'p'.repeat(257) }));
		expect(result).toEqual({ ok: false, errors: { password: 'password_too_long' } });
	});

	it('reads contract hours with a French decimal comma, in half hours', () => {
		expect(
			parseForm(memberProfileSchema, form({ profession: 'care_aide', contractHours: '17,5' }))
		).toEqual({
			ok: true,
			data: { profession: 'care_aide', contractHours: 17.5 }
		});
		for (const bad of ['17.3', '-1', '49', 'abc', 'NaN', '1e3']) {
			expect(
				parseForm(memberProfileSchema, form({ profession: 'nurse', contractHours: bad }))
			).toEqual({
				ok: false,
				errors: { contractHours: 'hours_invalid' }
			});
		}
	});

	it('refuses a profession outside the list', () => {
		expect(
			parseForm(memberProfileSchema, form({ profession: 'manager', contractHours: '35' }))
		).toEqual({
			ok: false,
			errors: { profession: 'profession_invalid' }
		});
	});

	it('asks for the new password twice', () => {
		const result = parseForm(
			passwordChangeSchema,
			form({
				currentPassword: 'old one',
				newPassword: 'a brand new secret',
				confirmPassword: 'a brand new secreT'
			})
		);
		expect(result).toEqual({ ok: false, errors: { confirmPassword: 'passwords_differ' } });
	});

	it('counts a repeated field once', () => {
		const data = form({ email: 'first@example.org', password: 'x' });
		data.append('email', 'second@example.org');
		const result = parseForm(loginSchema, data);
		expect(result.ok && result.data.email).toBe('first@example.org');
	});
});

describe('hoursToMinutes', () => {
	it('turns contracted hours into minutes', () => {
		expect(hoursToMinutes(35)).toBe(2100);
		expect(hoursToMinutes(17.5)).toBe(1050);
	});
});

import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A random identifier or secret from the CSPRNG, base32: `bytes * 8` bits of entropy. */
export function randomToken(bytes: number): string {
	const buffer = new Uint8Array(bytes);
	crypto.getRandomValues(buffer);
	return encodeBase32LowerCaseNoPadding(buffer);
}

/** 120-bit ids for rows that are named in URLs (teams, users, invitations). */
export function newId(): string {
	return randomToken(15);
}

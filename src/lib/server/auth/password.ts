import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
// @node-rs/argon2 hashes with argon2id unless told otherwise.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 };

export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFKC'));
	} catch {
		// A malformed stored hash is treated as a mismatch, never as a crash of the login page.
		return false;
	}
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the time of a real verification when the email is unknown, so response times do not
 * tell whether an account exists.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
	dummyHash ??= hashPassword('kring-timing-equaliser');
	await verifyPassword(await dummyHash, password);
	return false;
}

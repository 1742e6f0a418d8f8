/** Ids as the server makes them (`newId`: base32, lowercase letters and digits 2–7). */
export const ID_PATTERN = /^[a-z2-7]{1,64}$/;

/** True for a string shaped like an id the server made: anything else names nothing. */
export function isId(value: string): boolean {
	return ID_PATTERN.test(value);
}

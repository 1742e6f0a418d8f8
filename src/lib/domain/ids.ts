/** One id as the server makes it (`newId`: base32, lowercase letters and digits 2–7), for larger patterns. */
export const ID_SOURCE = '[a-z2-7]{1,64}';
export const ID_PATTERN = new RegExp(`^${ID_SOURCE}$`);

/** True for a string shaped like an id the server made: anything else names nothing. */
export function isId(value: string): boolean {
	return ID_PATTERN.test(value);
}

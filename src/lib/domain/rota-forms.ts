import { z } from 'zod';
import { ID_PATTERN } from './ids';
import { MAX_SICK_DAYS } from './rota-cover';

/** The rota's re-planning forms (sick call, taking a visit), checked the same on page and server. */
const id = z.string().regex(ID_PATTERN);

export const sickCallForm = z.object({
	memberId: id,
	/** 0: until tonight; n: until the end of the n-th day after today. */
	extraDays: z.coerce
		.number()
		.int()
		.min(0)
		.max(MAX_SICK_DAYS - 1)
});

/** Visit ids are made by the browser (crypto.randomUUID) or generation: any short clean token. */
export const takeForm = z.object({
	visitId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)
});

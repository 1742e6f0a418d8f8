import type { ShiftKind } from '$lib/domain/rota';
import { m } from '$lib/paraglide/messages';

/** A kind of shift on the rota, in the reader's language. */
export function shiftLabel(kind: ShiftKind): string {
	return {
		office: m.rota_shift_office,
		training: m.rota_shift_training,
		meeting: m.rota_shift_meeting
	}[kind]();
}

import type { AccessField } from '$lib/domain/caseload';
import type { DoorFlag } from '$lib/domain/day';
import { m } from '$lib/paraglide/messages';

/** A part of the access notes, in the reader's language. */
export function accessFieldLabel(field: AccessField): string {
	switch (field) {
		case 'keyBox':
			return m.access_notes_keyBox();
		case 'doorCode':
			return m.access_notes_doorCode();
		case 'floor':
			return m.access_notes_floor();
		case 'dog':
			return m.access_notes_dog();
		case 'other':
			return m.access_notes_other();
	}
}

/** What a door flag says, in the reader's language. */
export function doorFlagLabel(flag: DoorFlag): string {
	switch (flag) {
		case 'refused-me':
			return m.day_flag_refused_me();
		case 'first-visit':
			return m.day_flag_first_visit();
		case 'nurse-only':
			return m.day_flag_nurse_only();
		case 'two-carers':
			return m.day_flag_two_carers();
		case 'refused-others':
			return m.day_flag_refused_others();
	}
}

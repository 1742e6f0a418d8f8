import type { FieldErrorCode } from '$lib/domain/forms';
import { m } from '$lib/paraglide/messages';

/** A field error code in the reader's language. */
export function fieldErrorText(code: FieldErrorCode): string {
	switch (code) {
		case 'required':
			return m.field_required();
		case 'too_long':
			return m.field_too_long();
		case 'email_invalid':
			return m.field_email_invalid();
		case 'password_too_short':
			return m.field_password_too_short();
		case 'password_too_long':
			return m.field_password_too_long();
		case 'passwords_differ':
			return m.field_passwords_differ();
		case 'profession_invalid':
			return m.field_profession_invalid();
		case 'hours_invalid':
			return m.field_hours_invalid();
		case 'invalid':
			return m.field_invalid();
	}
}

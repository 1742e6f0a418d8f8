import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

/**
 * The submitted form. A body that cannot be read as one (malformed, truncated, over the size
 * limit) is answered with a 400 that says so: never a 500, and nothing was half-saved.
 */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch {
		error(400, m.error_form_unreadable());
	}
}

/** A text field as submitted, cut to `max` characters, for echoing back into the form. */
export function echo(form: FormData, name: string, max = 254): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
}

/**
 * The submitted form, or null when the body cannot be read as one (malformed, wrong type,
 * truncated): callers answer that with a 400, never a 500.
 */
export async function readForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch {
		return null;
	}
}

/** A text field as submitted, cut to `max` characters, for echoing back into the form. */
export function echo(form: FormData | null, name: string, max = 254): string {
	const value = form?.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
}

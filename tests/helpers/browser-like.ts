/**
 * A minimal browser for HTTP tests: keeps cookies, sends the Origin header like a browser does on
 * form posts, and never follows redirects (tests look at them).
 */
export class HttpClient {
	private cookies = new Map<string, string>();

	constructor(readonly origin: string) {}

	get sessionCookie(): string | undefined {
		return this.cookies.get('session');
	}

	private remember(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair!.indexOf('=');
			const name = pair!.slice(0, eq).trim();
			const value = pair!.slice(eq + 1).trim();
			const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	private headers(extra: Record<string, string> = {}): Record<string, string> {
		const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		return { ...(cookie ? { cookie } : {}), ...extra };
	}

	async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
		const response = await fetch(this.origin + path, {
			redirect: 'manual',
			headers: this.headers({ accept: 'text/html', ...headers })
		});
		this.remember(response);
		return response;
	}

	/** A form post, as a browser without JavaScript would send it. */
	async post(
		path: string,
		fields: Record<string, string> | URLSearchParams | FormData | string,
		headers: Record<string, string> = {}
	): Promise<Response> {
		const body =
			typeof fields === 'string' || fields instanceof URLSearchParams || fields instanceof FormData
				? fields
				: new URLSearchParams(fields);
		const contentType: Record<string, string> =
			body instanceof FormData ? {} : { 'content-type': 'application/x-www-form-urlencoded' };
		const response = await fetch(this.origin + path, {
			method: 'POST',
			redirect: 'manual',
			body,
			headers: this.headers({
				origin: this.origin,
				accept: 'text/html',
				...contentType,
				...headers
			})
		});
		this.remember(response);
		return response;
	}

	async logIn(email: string, password: string): Promise<void> {
		const response = await this.post('/login', { email, password });
		if (response.status !== 303) {
			throw new Error(`login of ${email} failed with ${response.status}: ${await response.text()}`);
		}
	}
}

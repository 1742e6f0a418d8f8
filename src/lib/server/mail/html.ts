/** Text for an HTML body: the five characters that matter escaped. */
function escapeHtml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/** One block of a mail: a paragraph, or a link on its own line. */
export type Block = { text: string } | { link: string; label: string } | { list: string[] };

/** The plain-text and HTML bodies of the same blocks, in the mail's language. */
export function render(blocks: Block[], lang: string): { text: string; html: string } {
	const text = blocks
		.map((b) =>
			'text' in b ? b.text : 'link' in b ? `${b.label}` : b.list.map((i) => `- ${i}`).join('\n')
		)
		.join('\n\n');
	const body = blocks
		.map((b) =>
			'text' in b
				? `<p>${escapeHtml(b.text)}</p>`
				: 'link' in b
					? `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.label)}</a></p>`
					: `<ul>${b.list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
		)
		.join('\n');
	return {
		text: `${text}\n`,
		html: `<!doctype html><html lang="${escapeHtml(lang)}"><body style="font-family:sans-serif;line-height:1.5">\n${body}\n</body></html>\n`
	};
}

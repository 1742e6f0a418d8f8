import { fail, redirect } from '@sveltejs/kit';
import {
	IMPORT_LIMITS,
	mappingFromForm,
	readSheet,
	type Encoding
} from '$lib/domain/caseload-import';
import { memberTeam } from '$lib/server/auth/guard';
import {
	decodeUpload,
	importCaseload,
	previewImport,
	textWithinLimit
} from '$lib/server/caseload/import';
import { echo, readForm } from '$lib/server/http/form';
import * as services from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

/** Members only (the guard refuses coaches and outsiders before this runs). */
export const load: PageServerLoad = () => ({
	limits: { rows: IMPORT_LIMITS.rows, kb: IMPORT_LIMITS.fileBytes / 1024 }
});

/** The text and mapping the mapping form sends back (step 2 and 3). */
function fromMappingForm(form: FormData) {
	const text = form.get('csv');
	if (typeof text !== 'string' || text === '' || !textWithinLimit(text)) return null;
	const read = readSheet(text);
	const columns = read.ok ? read.sheet.headers.length : 0;
	const encoding: Encoding = form.get('encoding') === 'windows-1252' ? 'windows-1252' : 'utf-8';
	return {
		text,
		encoding,
		fileName: echo(form, 'fileName', 200),
		mapping: mappingFromForm((name) => form.get(name), columns)
	};
}

export const actions: Actions = {
	/** Step 1: the file is read, its columns guessed, its rows checked. Nothing is written. */
	upload: async ({ locals, request }) => {
		const { teamId } = memberTeam(locals);
		const file = (await readForm(request)).get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { problem: { code: 'no_file' as const } });
		if (file.size > IMPORT_LIMITS.fileBytes)
			return fail(400, { problem: { code: 'too_large' as const, bytes: file.size } });
		const decoded = decodeUpload(new Uint8Array(await file.arrayBuffer()));
		if (!decoded.ok) return fail(400, { problem: decoded.problem });
		const result = await previewImport(services.collab(), teamId, { ...decoded, mapping: null });
		if (!result.ok) return fail(400, { problem: result.problem });
		return { preview: result.preview, fileName: file.name.slice(0, 200) };
	},

	/** Step 2: the same file checked again with the columns the member chose. */
	check: async ({ locals, request }) => {
		const { teamId } = memberTeam(locals);
		const input = fromMappingForm(await readForm(request));
		if (input === null) return fail(400, { problem: { code: 'no_file' as const } });
		const result = await previewImport(services.collab(), teamId, input);
		if (!result.ok) return fail(400, { problem: result.problem });
		return { preview: result.preview, fileName: input.fileName };
	},

	/** Step 3: every row in one change, or none. */
	confirm: async ({ locals, request }) => {
		const { teamId } = memberTeam(locals);
		const input = fromMappingForm(await readForm(request));
		if (input === null) return fail(400, { problem: { code: 'no_file' as const } });
		const outcome = await importCaseload(services.collab(), teamId, input);
		if (outcome.kind === 'imported')
			redirect(303, `/teams/${teamId}/caseload?imported=${outcome.count}`);
		if (outcome.kind === 'problem') return fail(400, { problem: outcome.problem });
		const again = await previewImport(services.collab(), teamId, input);
		if (!again.ok) return fail(400, { problem: again.problem });
		return fail(outcome.kind === 'isolated' ? 409 : 400, {
			preview: again.preview,
			fileName: input.fileName,
			refused: outcome.kind === 'refused',
			isolated: outcome.kind === 'isolated'
		});
	}
};

import type { FileProblem, RowError } from '$lib/domain/caseload-import';
import { IMPORT_LIMITS, type ImportField } from '$lib/domain/caseload-import-fields';
import { m } from '$lib/paraglide/messages';

/** A card field's label in the import's mapping form. */
export function importFieldLabel(field: ImportField): string {
	const labels: Record<ImportField, () => string> = {
		civility: m.import_field_civility,
		firstName: m.import_field_firstName,
		lastName: m.import_field_lastName,
		address: m.import_field_address,
		postcode: m.import_field_postcode,
		city: m.import_field_city,
		sector: m.import_field_sector,
		needs: m.import_field_needs,
		status: m.import_field_status,
		phone: m.import_field_phone,
		doctor: m.import_field_doctor
	};
	return labels[field]();
}

/** One row's error as a sentence: « Ligne 7 : le nom manque. » */
export function rowErrorText(error: RowError): string {
	const field = error.field === null ? '' : importFieldLabel(error.field);
	const value = error.value;
	const what = (() => {
		switch (error.code) {
			case 'name_missing':
				return m.import_error_name_missing();
			case 'too_long':
				return m.import_error_too_long({ field, value });
			case 'invalid_characters':
				return m.import_error_invalid_characters({ field });
			case 'status_unknown':
				return m.import_error_status_unknown({ value });
			case 'phone_invalid':
				return m.import_error_phone_invalid({ value });
			case 'duplicate_in_file':
				return m.import_error_duplicate_in_file({ value, other: error.otherLine ?? 0 });
			case 'already_on_caseload':
				return m.import_error_already_on_caseload({ value });
		}
	})();
	return `${m.import_line({ line: error.line })}${m.import_separator()}${what}`;
}

const kb = (bytes: number) => Math.ceil(bytes / 1024);

/** What is wrong with the whole file. */
export function fileProblemText(problem: FileProblem): string {
	switch (problem.code) {
		case 'empty':
			return m.import_problem_empty();
		case 'no_file':
			return m.import_problem_no_file();
		case 'no_rows':
			return m.import_problem_no_rows();
		case 'malformed':
			return problem.line === null
				? m.import_problem_malformed_nowhere()
				: m.import_problem_malformed({ line: problem.line });
		case 'too_large':
			return m.import_problem_too_large({
				size: kb(problem.bytes),
				max: kb(IMPORT_LIMITS.fileBytes)
			});
		case 'too_many_rows':
			return m.import_problem_too_many_rows({ rows: problem.rows, max: IMPORT_LIMITS.rows });
		case 'too_many_columns':
			return m.import_problem_too_many_columns({
				columns: problem.columns,
				max: IMPORT_LIMITS.columns
			});
	}
}

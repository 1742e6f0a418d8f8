import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user === null ? null : { id: locals.user.id, name: locals.user.name }
});

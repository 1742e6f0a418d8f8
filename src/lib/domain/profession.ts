/** What a member is, for the rules that depend on it (nurse-only acts, the rota's qualifications). */
export const PROFESSIONS = ['nurse', 'care_aide', 'other'] as const;
export type Profession = (typeof PROFESSIONS)[number];

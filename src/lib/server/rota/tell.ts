/**
 * Where someone must be told. Each function is called once, at the one place the event happens,
 * after it is stored; for now they record nothing. They are the hook for the notification model
 * (`notify(db, { teamId, recipients, kind, params, link })` in src/lib/server/notifications):
 * wire each body to one `notify` call. The arguments are what the notice needs: ids only, never
 * client health data.
 */

/** A round closed by its deadline (on read or by the timer): those who took part learn the outcome. */
export function tellRoundClosed(_event: {
	teamId: string;
	decisionId: string;
	stage: 'adopted' | 'lapsed' | string;
}): void {}

/**
 * A member is off sick from now (said by themselves, or recorded by `recordedBy` for a colleague
 * who phoned in: then the member is told). Each visit now to cover goes to the colleagues who
 * could take it (kind `colleague_sick`, and `swap_available` per visit).
 */
export function tellColleagueSick(_event: {
	teamId: string;
	memberId: string;
	recordedBy: string;
	/** Per visit to cover (`rota/<week>` document, visit id), the members who could take it. */
	toCover: { week: string; visitId: string; candidates: string[] }[];
}): void {}

/**
 * An offered or to-cover visit was taken (kind `swap_taken`): the member who offered it, or whose
 * visit it was before they fell sick, is told who took it.
 */
export function tellSwapTaken(_event: {
	teamId: string;
	week: string;
	visitId: string;
	/** Who offered it, or whose it was. */
	offeredBy: string;
	takenBy: string;
}): void {}

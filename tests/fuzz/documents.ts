// The documents the fuzzer works on, and for each kind: where honest clients type their numbered
// lines (so a line can be looked for, in a relay and in the stored document), and what real edits
// the recording makes (through the app's own document functions, as the pages do).
import * as Y from 'yjs';
import { addClient, addTransmission, carePlanOf, clientsOf } from '$lib/collab/caseload';
import { addAgendaItem, setRoundLine, setStep } from '$lib/collab/meeting';
import { MEETING_STEPS } from '$lib/domain/meeting';
import { putShift, putVisit, removeVisit, updateVisit, visitsMap } from '$lib/collab/rota';
import type { Prng } from './prng';

export type DocKind = 'caseload' | 'rota' | 'meeting';

export interface FuzzDoc {
	name: string;
	kind: DocKind;
	/** Index of the team (0, 1, …) in the run. */
	team: number;
	/** False for the side-by-side control: honest clients only, the fuzzer never opens it. */
	fuzzed: boolean;
}

/** The caseload card whose free notes honest clients type into. */
const HONEST_CARD = 'fuzz-honest-card';
/** The rota week the fuzzer works on (any valid ISO week opens). */
export const FUZZ_WEEK = '2026-W40';
/** The rota week of the control document, which the fuzzer never opens. */
export const CONTROL_WEEK = '2026-W41';
const LINE = /H\d+-\d+/g;

export const lineId = (writer: number, n: number) => `H${writer}-${n}`;

/** Done once, by one honest client, before the others open the document. */
export function prepare(doc: Y.Doc, kind: DocKind): void {
	if (kind === 'caseload' && !clientsOf(doc).has(HONEST_CARD))
		addClient(doc, HONEST_CARD, { name: 'Mme Fuzz', address: '1 rue du Test', sector: 'Nord' });
}

function honestNotes(doc: Y.Doc): Y.Text | null {
	const card = clientsOf(doc).get(HONEST_CARD);
	const notes = card instanceof Y.Map ? card.get('notes') : null;
	return notes instanceof Y.Text ? notes : null;
}

/** Whether the document is ready for honest lines (the caseload card arrived). */
export function ready(doc: Y.Doc, kind: DocKind): boolean {
	return kind !== 'caseload' || honestNotes(doc) !== null;
}

export function writeLine(doc: Y.Doc, kind: DocKind, id: string): void {
	if (kind === 'rota') {
		putVisit(doc, {
			id,
			clientId: HONEST_CARD,
			date: '2026-10-01',
			start: 480,
			minutes: 30,
			carerId: null,
			qualification: 'any',
			changedAt: null
		});
		return;
	}
	const text = kind === 'meeting' ? doc.getText('notes') : honestNotes(doc);
	if (text === null) throw new Error('the honest card is missing');
	text.insert(text.length, `${id}\n`);
}

/** Every honest line the document holds now. */
export function linesIn(doc: Y.Doc, kind: DocKind): Set<string> {
	if (kind === 'rota')
		return new Set([...visitsMap(doc).keys()].filter((k) => /^H\d+-\d+$/.test(k)));
	const text = kind === 'meeting' ? doc.getText('notes') : honestNotes(doc);
	return new Set(text === null ? [] : (text.toString().match(LINE) ?? []));
}

/** One real edit of the kind a page makes, for the recording. */
export function recordedEdit(
	doc: Y.Doc,
	kind: DocKind,
	who: string,
	step: number,
	prng: Prng
): void {
	const tag = `${who}-${step}`;
	if (kind === 'caseload') {
		const id = `rec-${who}-${Math.floor(step / 6)}`;
		const clients = clientsOf(doc);
		if (!clients.has(id)) {
			addClient(doc, id, {
				name: `Client ${tag} é ü 漢`,
				address: `${step} avenue Berthelot`,
				sector: prng.pick(['Nord', 'Sud']),
				needs: 'toilette, repas',
				carePlan: 'Passage matin et soir.'
			});
			return;
		}
		const plan = carePlanOf(doc, id);
		const card = clients.get(id) as Y.Map<unknown>;
		const notes = card.get('notes') as Y.Text;
		switch (step % 5) {
			case 0:
				plan?.insert(prng.int(0, plan.length), ` ajout ${tag}`);
				break;
			case 1:
				if (plan !== null && plan.length > 4) plan.delete(prng.int(0, plan.length - 3), 2);
				break;
			case 2:
				addTransmission(doc, id, { authorId: who, authorName: who, text: `Transmission ${tag}` });
				break;
			case 3:
				card.set('status', prng.pick(['active', 'paused']));
				break;
			default:
				notes.insert(notes.length, `note ${tag} `);
		}
		return;
	}
	if (kind === 'rota') {
		const id = `rec-visit-${who}-${Math.floor(step / 3)}`;
		if (step % 3 === 0)
			putVisit(doc, {
				id,
				clientId: 'rec',
				date: '2026-09-29',
				start: 420 + step,
				minutes: 45,
				carerId: null,
				qualification: 'any',
				changedAt: null
			});
		else if (step % 3 === 1) updateVisit(doc, id, { start: 600 + step });
		else if (prng.chance(0.5)) removeVisit(doc, id);
		else
			putShift(doc, {
				id: `rec-shift-${tag}`,
				memberId: who,
				kind: 'office',
				date: '2026-09-30',
				start: 540,
				minutes: 60,
				changedAt: null
			});
		return;
	}
	const notes = doc.getText('notes');
	switch (step % 4) {
		case 0:
			notes.insert(prng.int(0, notes.length), `Compte rendu ${tag}. `);
			break;
		case 1:
			addAgendaItem(doc, {
				title: `Point ${tag}`,
				purpose: 'Informer',
				kind: 'information',
				by: who
			});
			break;
		case 2:
			setRoundLine(doc, prng.pick(['checkIn', 'checkOut']), who, `Ça va ${tag}`);
			break;
		default:
			if (notes.length > 6) notes.delete(prng.int(0, notes.length - 5), 3);
			else setStep(doc, prng.pick(MEETING_STEPS));
	}
}

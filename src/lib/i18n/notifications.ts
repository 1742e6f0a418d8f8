import type { EmailMode, NotificationEvent, NotificationKind } from '$lib/domain/notifications';
import { formatClock } from '$lib/domain/format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDate, formatDateTime } from './format';
import { roleName } from './roles';

/** `08:30` as the reader writes it (`8 h 30` in French). */
function timeOf(hhmm: string): string {
	const [hour, minute] = hhmm.split(':').map(Number);
	return formatClock(hour ?? 0, minute ?? 0, getLocale());
}

/** What the notification says, in the current locale (a request's, or `inLocale`'s for a mail). */
export function notificationText(n: NotificationEvent): string {
	switch (n.kind) {
		case 'swap_available':
		case 'swap_taken':
		case 'own_visit_changed': {
			const p = n.params;
			const visit = { day: formatDate(p.date), time: timeOf(p.start), client: client(p) };
			if (n.kind === 'swap_available')
				return m.notif_swap_available({ ...visit, offeredBy: n.params.offeredBy });
			if (n.kind === 'swap_taken')
				return m.notif_swap_taken({ ...visit, takenBy: n.params.takenBy });
			switch (n.params.change) {
				case 'added':
					return m.notif_own_visit_added(visit);
				case 'moved':
					return m.notif_own_visit_moved(visit);
				case 'removed':
					return m.notif_own_visit_removed(visit);
			}
			break;
		}
		case 'round_waiting':
			switch (n.params.round) {
				case 'consent':
					return m.notif_round_consent({ title: n.params.title });
				case 'advice':
					return m.notif_round_advice({ title: n.params.title });
				case 'election':
					// A template role's name as the reader says it; a name the team chose, as written.
					return m.notif_round_election({
						title: roleName({ name: n.params.title, templateKey: n.params.roleTemplate })
					});
			}
			break;
		case 'deadline_soon':
			return m.notif_deadline_soon({
				when: formatDateTime(new Date(n.params.deadline)),
				title: n.params.title
			});
		case 'review_due':
			return m.notif_review_due({ day: formatDate(n.params.reviewDate), title: n.params.title });
		case 'urgent_transmission':
			return n.params.sector
				? m.notif_urgent_transmission({
						client: n.params.clientInitials,
						sector: n.params.sector,
						day: formatDate(n.params.date)
					})
				: m.notif_urgent_transmission_nosector({
						client: n.params.clientInitials,
						day: formatDate(n.params.date)
					});
		case 'colleague_sick':
			return m.notif_colleague_sick({ colleague: n.params.colleague, visits: n.params.visits });
	}
}

function client(p: { clientInitials: string; sector?: string }): string {
	return p.sector ? `${p.clientInitials}, ${p.sector}` : p.clientInitials;
}

/** The kind as a choice in the preferences form and on the unsubscribe page. */
export function kindLabel(kind: NotificationKind): string {
	switch (kind) {
		case 'swap_available':
			return m.notif_kind_swap_available();
		case 'swap_taken':
			return m.notif_kind_swap_taken();
		case 'own_visit_changed':
			return m.notif_kind_own_visit_changed();
		case 'round_waiting':
			return m.notif_kind_round_waiting();
		case 'deadline_soon':
			return m.notif_kind_deadline_soon();
		case 'review_due':
			return m.notif_kind_review_due();
		case 'urgent_transmission':
			return m.notif_kind_urgent_transmission();
		case 'colleague_sick':
			return m.notif_kind_colleague_sick();
	}
}

export function emailModeLabel(mode: EmailMode): string {
	switch (mode) {
		case 'immediate':
			return m.notif_email_immediate();
		case 'digest':
			return m.notif_email_digest();
		case 'off':
			return m.notif_email_off();
	}
}

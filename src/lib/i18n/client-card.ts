import type { ContactKind } from '$lib/domain/caseload';
import type { RiskItem, RiskLevel } from '$lib/domain/first-visit';
import type { Trend } from '$lib/domain/omaha';
import { m } from '$lib/paraglide/messages';

export const riskItemLabel = (item: RiskItem): string =>
	({
		access: m.firstvisit_item_access,
		falls: m.firstvisit_item_falls,
		medication: m.firstvisit_item_medication,
		cognition: m.firstvisit_item_cognition,
		isolation: m.firstvisit_item_isolation,
		familyCarer: m.firstvisit_item_family_carer
	})[item]();

export const riskLevelLabel = (level: RiskLevel): string =>
	({
		none: m.firstvisit_level_none,
		low: m.firstvisit_level_low,
		medium: m.firstvisit_level_medium,
		high: m.firstvisit_level_high
	})[level]();

export const contactKindLabel = (kind: ContactKind): string =>
	({
		family: m.contact_kind_family,
		gp: m.contact_kind_gp,
		pharmacy: m.contact_kind_pharmacy,
		other: m.contact_kind_other
	})[kind]();

export const trendLabel = (trend: Trend): string =>
	({
		better: m.omaha_trend_better,
		worse: m.omaha_trend_worse,
		same: m.omaha_trend_same,
		unknown: m.omaha_trend_unknown
	})[trend]();

/**
 * Where a character index sits inside a textarea, in pixels from its top-left corner (scroll
 * included), measured on a hidden copy with the same font, padding and wrapping. The standard
 * mirror technique: a textarea has no API for it.
 */
const COPIED = [
	'boxSizing',
	'width',
	'borderTopWidth',
	'borderRightWidth',
	'borderBottomWidth',
	'borderLeftWidth',
	'paddingTop',
	'paddingRight',
	'paddingBottom',
	'paddingLeft',
	'fontStyle',
	'fontVariant',
	'fontWeight',
	'fontStretch',
	'fontSize',
	'lineHeight',
	'fontFamily',
	'textAlign',
	'textTransform',
	'textIndent',
	'letterSpacing',
	'wordSpacing',
	'tabSize'
] as const;

export function caretPoint(
	area: HTMLTextAreaElement,
	index: number
): { top: number; left: number; height: number } {
	const style = getComputedStyle(area);
	const mirror = document.createElement('div');
	for (const property of COPIED) mirror.style[property] = style[property];
	Object.assign(mirror.style, {
		position: 'absolute',
		visibility: 'hidden',
		whiteSpace: 'pre-wrap',
		overflowWrap: 'break-word',
		top: '0',
		left: '-9999px',
		overflow: 'hidden'
	});
	// The textarea's scrollbar takes width the text cannot use.
	mirror.style.width = `${area.clientWidth + parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth)}px`;
	mirror.textContent = area.value.slice(0, index);
	const marker = document.createElement('span');
	marker.textContent = area.value.slice(index) || '.';
	mirror.appendChild(marker);
	document.body.appendChild(mirror);
	const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
	const point = {
		top: marker.offsetTop - area.scrollTop,
		left: marker.offsetLeft - area.scrollLeft,
		height: lineHeight
	};
	mirror.remove();
	return point;
}

import type { Image } from '../../entities/image.entity';
import type { License } from '../../entities/license.entity';

export interface Credit {
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Only web links become anchors: a javascript: or data: URL in the data must never reach a page. */
function link(text: string, url: string | null | undefined): string {
  const safe = url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  return safe ? `<a href="${escapeHtml(safe)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/**
 * "Chain link, by Eden Politte (CC)." The archive labels a license by its family mark (the first
 * word of its short name, "CC"), linked to the license deed.
 */
export function imageCredit(image: Image, license: License | null): Credit {
  const licenseMark = license ? license.shortName.split(/\s+/)[0] : null;
  const byText = image.creator ? `, by ${image.creator}` : '';
  const byHtml = image.creator ? `, by ${link(image.creator, image.sourceUrl)}` : '';
  const titleHtml = image.creator ? escapeHtml(image.title) : link(image.title, image.sourceUrl);
  return {
    text: `${image.title}${byText}${licenseMark ? ` (${licenseMark})` : ''}.`,
    html: `${titleHtml}${byHtml}${licenseMark ? ` (${link(licenseMark, license?.url)})` : ''}.`,
  };
}

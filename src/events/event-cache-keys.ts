import { EventType } from '../../entities/enums';

/**
 * The cache keys an event makes stale (see cache-tags.ts): the article it is about, the lists a
 * publication changes, the sitemaps (whose lastmod every change moves), and for translations the
 * original and its translation state.
 */
export function cacheKeysOf(event: { type: EventType; articleId: number; originalId: number | null }): string {
  const article = `article:${event.articleId}`;
  const original = event.originalId == null ? [] : [`article:${event.originalId}`, `translations:${event.originalId}`];
  switch (event.type) {
    case EventType.ARTICLE_PUBLISHED:
    case EventType.ARTICLE_UNPUBLISHED:
    case EventType.TRANSLATION_PUBLISHED:
      return [article, ...original, 'list:articles', 'sitemaps'].join(' ');
    case EventType.ARTICLE_UPDATED:
      return [article, ...original, 'sitemaps'].join(' ');
    case EventType.TRANSLATION_REQUESTED:
      return `translations:${event.articleId}`;
  }
}

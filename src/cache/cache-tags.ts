/**
 * The objects an answer was built from, as the keys a CDN purges by: `article:12`, `author:3`,
 * `image:7`, `license:2`, `publication:1`, `translations:12` (the translation state of original
 * 12), `list:articles` (any list or count of articles) and `sitemaps`. Loaders add what they read, so the
 * keys are those of the rows the answer came from, not a guess from its shape.
 */
export class CacheTags {
  private readonly keys = new Set<string>();

  add(kind: 'article' | 'author' | 'image' | 'license' | 'publication' | 'translations', id: number): void {
    this.keys.add(`${kind}:${id}`);
  }

  addList(kind: 'articles' | 'authors' | 'licenses' | 'publications'): void {
    this.keys.add(`list:${kind}`);
  }

  /** Space-separated, as Fastly's Surrogate-Key takes them. */
  toString(): string {
    return [...this.keys].join(' ');
  }
}

/** Sets Surrogate-Key (Fastly, Akamai) and Cache-Tag (Cloudflare, which separates by commas) on a cacheable answer. */
export function tagHeaders(keys: string): Record<string, string> {
  if (keys === '') return {};
  return { 'surrogate-key': keys, 'cache-tag': keys.split(' ').join(',') };
}

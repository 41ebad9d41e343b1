import { Feed, Item } from 'feed';

/** One article as every feed format shows it. */
export interface FeedEntry {
  id: string;
  url: string;
  title: string;
  summary: string | null;
  language: string;
  categories: string[];
  publishedAt: Date;
  updatedAt: Date;
  /** Only the credited ones: an article without a byline has none, and none is made up. */
  authors: Array<{ name: string }>;
  heroImage: { title: string; pageUrl: string | null; credit: string; licenseUrl: string | null } | null;
  license: { name: string; url: string | null } | null;
}

export interface FeedSource {
  title: string;
  description: string;
  /** The site: the feed's own author, which Atom asks for when an entry credits nobody. */
  publisher: string;
  /** The reader page the feed stands for. */
  homeUrl: string;
  /** This feed in each format, for the self links. */
  urls: Record<FeedFormat, string>;
  language: string | null;
  /** The newest change among its entries (or now, for an empty feed). */
  updated: Date;
  entries: FeedEntry[];
}

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

// Elements of modules the feed library does not know declare their namespace where they stand,
// which is as valid XML as declaring it on the root.
const DC = 'http://purl.org/dc/elements/1.1/';
const DCTERMS = 'http://purl.org/dc/terms/';
const MEDIA = 'http://search.yahoo.com/mrss/';
const CREATIVE_COMMONS = 'http://backend.userland.com/creativeCommonsRssModule';

function licenseText(license: { name: string; url: string | null }): string {
  return license.url === null ? license.name : `${license.name} (${license.url})`;
}

/** What every format's item has: its title, link (also its id), dates and summary. */
function itemBase(entry: FeedEntry): Pick<Item, 'title' | 'id' | 'link' | 'date' | 'published' | 'description'> {
  return { title: entry.title, id: entry.url, link: entry.url, date: entry.updatedAt, published: entry.publishedAt, description: entry.summary ?? undefined };
}

function libraryFeed(source: FeedSource, entries: (entry: FeedEntry) => Item): Feed {
  const feed = new Feed({
    id: source.urls.atom,
    title: source.title,
    description: source.description,
    link: source.homeUrl,
    language: source.language ?? undefined,
    updated: source.updated,
    feedLinks: { rss: source.urls.rss, atom: source.urls.atom, json: source.urls.json },
    author: { name: source.publisher },
    copyright: 'Each entry names its own license.',
    generator: 'content-gateway',
  });
  for (const entry of source.entries) feed.addItem(entries(entry));
  return feed;
}

/** RSS 2.0, with Dublin Core creators and dates, Media RSS for the image and its credit, and the Creative Commons module. */
export function rss(source: FeedSource): string {
  return libraryFeed(source, (entry) => {
    const extensions: Item['extensions'] = [
      { name: 'dcterms:modified', objects: { _attributes: { 'xmlns:dcterms': DCTERMS }, _text: entry.updatedAt.toISOString() } },
    ];
    if (entry.authors.length > 0) {
      extensions.push({ name: 'dc:creator', objects: entry.authors.map((a) => ({ _attributes: { 'xmlns:dc': DC }, _text: a.name })) });
    }
    if (entry.license?.url) {
      extensions.push({ name: 'creativeCommons:license', objects: { _attributes: { 'xmlns:creativeCommons': CREATIVE_COMMONS }, _text: entry.license.url } });
    } else if (entry.license) {
      extensions.push({ name: 'dc:rights', objects: { _attributes: { 'xmlns:dc': DC }, _text: entry.license.name } });
    }
    const image = entry.heroImage;
    if (image?.pageUrl) {
      extensions.push({
        name: 'media:content',
        objects: {
          _attributes: { 'xmlns:media': MEDIA, url: image.pageUrl, medium: 'image' },
          'media:title': { _text: image.title },
          'media:credit': { _text: image.credit },
          ...(image.licenseUrl ? { 'media:license': { _attributes: { href: image.licenseUrl } } } : {}),
        },
      });
    }
    return { ...itemBase(entry), category: entry.categories.map((name) => ({ name })), extensions };
  }).rss2();
}

/**
 * Atom 1.0. The feed library's enclosure takes its type from the URL's file extension, and an
 * archive image's URL is the page it comes from, so the image's credit goes in `rights`, beside
 * the license of the text.
 */
export function atom(source: FeedSource): string {
  return libraryFeed(source, (entry) => ({
    ...itemBase(entry),
    author: entry.authors.map((a) => ({ name: a.name })),
    category: entry.categories.map((term) => ({ term })),
    copyright: [entry.license && `Text: ${licenseText(entry.license)}.`, entry.heroImage && `Image: ${entry.heroImage.credit}`].filter(Boolean).join(' ') || undefined,
  })).atom1();
}

/**
 * JSON Feed 1.1 (the feed library writes 1.0, without `authors` and `language`): plain data, so
 * it is built as an object and serialised. What the spec has no field for (licenses, the image's
 * credit) goes in an `_gateway` extension, as the spec provides.
 */
export function jsonFeed(source: FeedSource): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: source.title,
    description: source.description,
    home_page_url: source.homeUrl,
    feed_url: source.urls.json,
    ...(source.language ? { language: source.language } : {}),
    items: source.entries.map((entry) => ({
      id: entry.url,
      url: entry.url,
      title: entry.title,
      ...(entry.summary ? { summary: entry.summary, content_text: entry.summary } : { content_text: entry.title }),
      date_published: entry.publishedAt.toISOString(),
      date_modified: entry.updatedAt.toISOString(),
      ...(entry.authors.length > 0 ? { authors: entry.authors } : {}),
      tags: entry.categories,
      language: entry.language,
      _gateway: {
        license: entry.license,
        heroImage: entry.heroImage && { title: entry.heroImage.title, url: entry.heroImage.pageUrl, credit: entry.heroImage.credit, license: entry.heroImage.licenseUrl },
      },
    })),
  });
}

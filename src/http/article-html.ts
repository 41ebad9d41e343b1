import escapeHtml from 'escape-html';
import { ArticleSeo, readerUrl } from '../seo/article-seo';

/** The answer of schema/reader-page.graphql, as far as the page reads it. */
export interface ReaderArticle {
  id: string;
  slug: string;
  kind: string;
  title: string;
  displayTitle: string | null;
  section: string | null;
  publication: { name: string } | null;
  summary: string | null;
  body: string[] | null;
  language: string;
  publishedAt: string | null;
  heroImage: { credit: { html: string } } | null;
  license: { name: string; url: string | null } | null;
  related: Array<{ slug: string; kind: string; title: string; summary: string | null; publishedAt: string | null }>;
  translations: Array<{ slug: string; language: string }>;
  translationStatus: { language: string; state: string; requestCount: number; translation: { slug: string; language: string } | null };
  seo: ArticleSeo<string>;
}

/** What the reader was told after sending the form without scripts. */
export type TranslationNotice = 'counted' | 'already' | 'refused' | null;

const e = escapeHtml;

function date(iso: string | null, upper = false): string {
  if (!iso) return '';
  const text = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
  return `<time datetime="${e(iso)}">${e(upper ? text.toUpperCase() : text)}</time>`;
}

function kind(value: string): string {
  return value.charAt(0) + value.slice(1).toLowerCase();
}

export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function readersAsked(n: number): string {
  return `${n} ${n === 1 ? 'reader has' : 'readers have'} asked for it.`;
}

const NOTICES: Record<Exclude<TranslationNotice, null>, string> = {
  counted: 'Thank you: your request was counted.',
  already: 'You had already asked for this translation.',
  refused: 'The request did not go through. Please try again later.',
};

/**
 * The translation box. "Not translated" is a real form: without scripts it posts and comes back
 * to the page; the page's script sends it with fetch instead and redraws the box.
 */
function translationBox(a: ReaderArticle, readerLanguage: string, notice: TranslationNotice): string {
  const status = a.translationStatus;
  let inner: string;
  switch (status.state) {
    case 'ORIGINAL':
      inner = `<h2 id="translation-heading">Original language</h2><p>You are reading this article in its original language, ${e(languageName(a.language))}.</p>`;
      break;
    case 'AVAILABLE': {
      const t = status.translation as { slug: string; language: string };
      inner = `<h2 id="translation-heading">Translation available</h2><p><a href="/read/${e(encodeURIComponent(t.slug))}" hreflang="${e(t.language)}">Read it in ${e(languageName(t.language))}</a></p>`;
      break;
    }
    case 'REQUESTED':
    case 'IN_PROGRESS':
      inner = `<h2 id="translation-heading">${status.state === 'REQUESTED' ? 'Translation requested' : 'Translation in progress'}</h2><p class="request-count">${e(readersAsked(status.requestCount))}</p>`;
      break;
    default:
      inner =
        '<h2 id="translation-heading">Not translated</h2>' +
        '<p>This content has not yet been translated into your language. You can request a translation by clicking the button below.</p>' +
        `<form class="request-translation" method="post" action="/read/${e(encodeURIComponent(a.slug))}/translation-requests">` +
        `<input type="hidden" name="articleId" value="${e(a.id)}"><input type="hidden" name="language" value="${e(readerLanguage)}">` +
        '<button type="submit">Request Translation</button></form>';
  }
  const message = notice ? e(NOTICES[notice]) : '';
  return `<aside class="translation" aria-labelledby="translation-heading">${inner}<p class="translation-message" role="status" aria-live="polite">${message}</p></aside>`;
}

function head(a: ReaderArticle, siteName: string, origin: string): string {
  const { seo } = a;
  const og = seo.openGraph;
  const meta = (attribute: 'name' | 'property', key: string, value: string | null) => (value ? `<meta ${attribute}="${key}" content="${e(value)}">` : '');
  const alternates = [a, ...a.translations].map((v) => `<link rel="alternate" hreflang="${e(v.language)}" href="${e(readerUrl(origin, v.slug))}">`);
  // JSON inside <script> ends at the first "</": every "<" is written as its JSON escape.
  const jsonLd = JSON.stringify(seo.jsonLd).replace(/</g, '\\u003c');
  return [
    `<title>${e(`${a.displayTitle ?? a.title} | ${a.publication?.name ?? siteName}`)}</title>`,
    meta('name', 'description', seo.description),
    `<link rel="canonical" href="${e(seo.canonicalUrl)}">`,
    ...(a.translations.length > 0 ? alternates : []),
    meta('property', 'og:type', og.type),
    meta('property', 'og:title', og.title),
    meta('property', 'og:description', og.description),
    meta('property', 'og:url', og.url),
    meta('property', 'og:site_name', og.siteName),
    meta('property', 'og:locale', og.locale),
    meta('property', 'og:image', og.image),
    meta('property', 'og:image:alt', og.imageAlt),
    meta('property', 'article:published_time', og.publishedTime),
    meta('property', 'article:modified_time', og.modifiedTime),
    ...og.authors.map((name) => meta('property', 'article:author', name)),
    meta('property', 'article:section', og.section),
    meta('name', 'twitter:card', 'summary'),
    meta('name', 'twitter:title', og.title),
    meta('name', 'twitter:description', og.description),
    `<script type="application/ld+json">${jsonLd}</script>`,
  ]
    .filter(Boolean)
    .join('\n');
}

function body(a: ReaderArticle, readerLanguage: string, notice: TranslationNotice): string {
  const parts = [
    `<header><p class="section">${e(a.section ?? '')}</p><h1>${e(a.displayTitle ?? a.title)}</h1><p class="meta">${date(a.publishedAt)}</p></header>`,
  ];
  // The credit comes from the gateway already escaped, with only http(s) links in it.
  if (a.heroImage) parts.push(`<figure class="hero"><figcaption class="credit">${a.heroImage.credit.html}</figcaption></figure>`);
  parts.push(`<div class="body">${(a.body ?? []).map((p) => `<p>${e(p)}</p>`).join('')}</div>`);
  if (a.license) {
    const name = a.license.url ? `<a href="${e(a.license.url)}" rel="license">${e(a.license.name)}</a>` : e(a.license.name);
    parts.push(`<p class="license">This article is licensed under a ${name}.</p>`);
  }
  parts.push(translationBox(a, readerLanguage, notice));
  if (a.related.length > 0) {
    const items = a.related.map(
      (r) =>
        `<li><p class="meta">${date(r.publishedAt, true)} <span class="kind">${e(kind(r.kind))}</span></p>` +
        `<h3><a href="/read/${e(encodeURIComponent(r.slug))}">${e(r.title)}</a></h3><p>${e(r.summary ?? '')}</p></li>`,
    );
    parts.push(`<section class="related" aria-labelledby="related-heading"><h2 id="related-heading">You may also like</h2><ul>${items.join('')}</ul></section>`);
  }
  return `<article>${parts.join('')}</article>`;
}

/** The whole reader page, drawn on the server: what crawlers, link previews and readers without scripts see. */
export function articlePage(
  a: ReaderArticle,
  options: { siteName: string; origin: string; readerLanguage: string; notice: TranslationNotice; feedLinks: string },
): string {
  return `<!doctype html>
<html lang="${e(a.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head(a, options.siteName, options.origin)}
${options.feedLinks}
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/assets/reader/reader.css">
</head>
<body>
<main id="app" aria-busy="false">${body(a, options.readerLanguage, options.notice)}</main>
<script type="module" src="/assets/reader/reader.js"></script>
</body>
</html>
`;
}

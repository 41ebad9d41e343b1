import express, { Express, Request, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root';

/**
 * Everything a page may load comes from this gateway: scripts, styles, fonts, workers, and the
 * GraphQL endpoint over HTTP and WebSocket. Styles may be inline because Monaco (the playground's
 * editor) injects its own.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL playground · Content gateway</title>
<link rel="stylesheet" href="/assets/playground/playground.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" role="main">Loading the playground…</div>
<script type="module" src="/assets/playground/playground.js"></script>
</body>
</html>
`;

/** Every reader page names the archive's feeds, for feed readers to find. */
export const FEED_LINKS = [
  '<link rel="alternate" type="application/rss+xml" title="Articles (RSS)" href="/feeds/articles.rss">',
  '<link rel="alternate" type="application/atom+xml" title="Articles (Atom)" href="/feeds/articles.atom">',
  '<link rel="alternate" type="application/feed+json" title="Articles (JSON Feed)" href="/feeds/articles.json">',
].join('\n');

export const PAGE_HEADERS = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };

const HOME_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Archive</title>
${FEED_LINKS}
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/assets/reader/reader.css">
</head>
<body>
<main id="app" aria-busy="true"><p>Loading…</p></main>
<noscript><p>The list of articles needs JavaScript; each article's page does not. Feeds: <a href="/feeds/articles.rss">RSS</a>, <a href="/feeds/articles.atom">Atom</a>.</p></noscript>
<script type="module" src="/assets/reader/reader.js"></script>
</body>
</html>
`;

/** The favicon: an "A" on the archive's red, as SVG, which browsers draw at any size. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#8a1c1c"/><path d="M9 25 16 7l7 18h-3.4l-1.5-4h-4.2l-1.5 4zm6-7h2.2L16 13.6z" fill="#fff"/></svg>';

function page(html: string) {
  return (_req: Request, res: Response): void => {
    res.set(PAGE_HEADERS);
    res.type('html').send(html);
  };
}

/**
 * The home page (`/`, the newest articles, drawn by the reader script), the favicon and, when
 * enabled, the GraphiQL playground (`/playground`, and `/graphql` for a browser asking for HTML),
 * with their bundled assets under `/assets`. Article pages are drawn on the server (reader-page.ts).
 */
export function mountWebPages(app: Express, options: { playground: boolean }): void {
  const assets = path.join(projectRoot(), 'dist', 'web');
  if (!fs.existsSync(assets)) throw new Error(`the browser bundles are missing from ${assets}: run npm run build`);
  app.use('/assets', express.static(assets, { index: false, fallthrough: false, maxAge: '1h' }));
  app.get('/', page(HOME_HTML));
  app.get(['/favicon.ico', '/favicon.svg'], (_req, res) => {
    res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(FAVICON);
  });
  if (!options.playground) return;
  const playground = page(PLAYGROUND_HTML);
  app.get('/playground', playground);
  app.get('/graphql', (req, res, next) => {
    const wantsPage = req.query.query === undefined && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    return wantsPage ? playground(req, res) : next();
  });
}

#!/usr/bin/env node
// A webhook receiver that purges a CDN: every event names the cache keys it makes stale
// (`cacheKeys`), the same keys the gateway's answers carry in Surrogate-Key and Cache-Tag, so the
// CDN drops exactly the answers built from what changed, and nothing else.
//
//   WEBHOOK_SECRET=whsec_... PURGE=fastly FASTLY_SERVICE_ID=... FASTLY_API_TOKEN=... node examples/purge-cdn.js
//   WEBHOOK_SECRET=whsec_... PURGE=cloudflare CLOUDFLARE_ZONE_ID=... CLOUDFLARE_API_TOKEN=... node examples/purge-cdn.js
//
// Register it for the content events: createWebhook(input: { url: "https://.../", events:
// [ARTICLE_PUBLISHED, ARTICLE_UNPUBLISHED, ARTICLE_UPDATED, TRANSLATION_PUBLISHED,
// TRANSLATION_REQUESTED] }). It answers 2xx only once the CDN accepted the purge: otherwise the
// gateway retries the event later. PURGE_API overrides the CDN's API address (for a test double).
const crypto = require('node:crypto');
const http = require('node:http');

const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error('set WEBHOOK_SECRET to the secret createWebhook returned');
const MAX_AGE_SECONDS = 300;

/** One purge request per event, in the form each CDN's API takes. */
const CDNS = {
  fastly: (keys) => ({
    url: `${process.env.PURGE_API ?? 'https://api.fastly.com'}/service/${process.env.FASTLY_SERVICE_ID}/purge`,
    headers: { 'fastly-key': process.env.FASTLY_API_TOKEN, 'surrogate-key': keys.join(' ') },
    body: undefined,
  }),
  cloudflare: (keys) => ({
    url: `${process.env.PURGE_API ?? 'https://api.cloudflare.com/client/v4'}/zones/${process.env.CLOUDFLARE_ZONE_ID}/purge_cache`,
    headers: { authorization: `Bearer ${process.env.CLOUDFLARE_API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tags: keys }),
  }),
};
const purge = CDNS[process.env.PURGE ?? 'fastly'];
if (!purge) throw new Error(`PURGE must be one of ${Object.keys(CDNS).join(', ')}`);

function verified(req, body) {
  const timestamp = Number(req.headers['x-gateway-timestamp']);
  const signature = String(req.headers['x-gateway-signature'] ?? '');
  if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_AGE_SECONDS) return false;
  const expected = `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      if (req.method !== 'POST' || !verified(req, body)) return res.writeHead(401).end();
      const event = JSON.parse(body);
      const request = purge(event.cacheKeys);
      try {
        const answer = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
        if (!answer.ok) throw new Error(`the CDN answered ${answer.status}`);
        console.log(JSON.stringify({ id: event.id, type: event.type, purged: event.cacheKeys }));
        res.writeHead(204).end();
      } catch (err) {
        console.error(JSON.stringify({ id: event.id, failed: String(err.message ?? err) }));
        res.writeHead(503).end();
      }
    });
  })
  .listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => console.error('listening'));

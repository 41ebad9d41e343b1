#!/usr/bin/env node
// A webhook receiver: checks each POST's signature and age, and handles every event once even
// though the gateway delivers at least once (a retry after a lost answer repeats an event).
//
//   WEBHOOK_SECRET=whsec_... PORT=8080 node examples/webhook-receiver.js [SEEN_IDS_FILE]
//
// Answers 2xx only after the event is handled: anything else makes the gateway retry it later.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');

const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error('set WEBHOOK_SECRET to the secret createWebhook returned');
const seenFile = process.argv[2] ?? 'seen-event-ids';
const seen = new Set(fs.existsSync(seenFile) ? fs.readFileSync(seenFile, 'utf8').split('\n').filter(Boolean) : []);
const MAX_AGE_SECONDS = 300;

function verified(req, body) {
  const timestamp = Number(req.headers['x-gateway-timestamp']);
  const signature = String(req.headers['x-gateway-signature'] ?? '');
  if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_AGE_SECONDS) return false;
  const expected = `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  // Compared in constant time, so that the answer's timing gives nothing away.
  return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !verified(req, body)) return res.writeHead(401).end();
      const event = JSON.parse(body);
      const id = String(event.id);
      if (seen.has(id)) {
        console.log(JSON.stringify({ duplicate: id }));
        return res.writeHead(200).end();
      }
      console.log(JSON.stringify({ id: event.id, type: event.type, slug: event.article && event.article.slug }));
      seen.add(id);
      fs.appendFileSync(seenFile, `${id}\n`);
      res.writeHead(204).end();
    });
  })
  .listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => console.error('listening'));

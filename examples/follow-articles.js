#!/usr/bin/env node
// Follows newly published articles over graphql-ws and resumes where it stopped, even across
// restarts of this script or of the gateway: the cursor of the last event handled is kept in a file.
//
//   node examples/follow-articles.js [GATEWAY_URL] [CURSOR_FILE]
//
// Defaults: http://127.0.0.1:4000 and ./last-event-cursor. Set API_KEY to connect as an editor.
const fs = require('node:fs');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const gateway = process.argv[2] ?? 'http://127.0.0.1:4000';
const cursorFile = process.argv[3] ?? 'last-event-cursor';

const client = createClient({
  url: `${gateway.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: process.env.API_KEY ? { authorization: `Bearer ${process.env.API_KEY}` } : {},
  // No automatic retry: it would subscribe again with the first `after`. follow() below starts a
  // new subscription from the last saved cursor instead.
  retryAttempts: 0,
});

const query = `subscription ($after: String) {
  articlePublished(after: $after) {
    cursor
    article { slug title language publishedAt authors { name } }
  }
}`;

function follow() {
  const after = fs.existsSync(cursorFile) ? fs.readFileSync(cursorFile, 'utf8').trim() : null;
  client.subscribe(
    { query, variables: { after } },
    {
      next: ({ data, errors }) => {
        if (errors) return console.error('error:', errors.map((e) => e.message).join('; '));
        const { cursor, article } = data.articlePublished;
        console.log(JSON.stringify({ slug: article.slug, title: article.title, language: article.language }));
        // Saved after handling: a crash in between means the event comes again, never that it is lost.
        fs.writeFileSync(cursorFile, cursor);
      },
      error: (err) => {
        console.error('subscription ended:', err instanceof Error ? err.message : err);
        setTimeout(follow, 1000);
      },
      complete: () => setTimeout(follow, 1000),
    },
  );
}

follow();
process.on('SIGINT', () => client.dispose().then(() => process.exit(0)));
process.on('SIGTERM', () => client.dispose().then(() => process.exit(0)));

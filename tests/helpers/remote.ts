import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** A GraphQL POST to a gateway running in another process. */
export async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T };
}

/** `npm run apikey -- create` against the database `databaseEnv` points at; returns the key it prints. */
export function createKeyWithCli(databaseEnv: Record<string, string>, role: 'editor' | 'integrator'): string {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'apikey.js'), 'create', '--name', `test ${role}`, '--role', role], {
    cwd: ROOT,
    env: { ...process.env, ...databaseEnv },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`apikey failed: ${run.stderr}`);
  return run.stdout.trim();
}

/** Creates and publishes an article through an editor key; returns its slug. */
export async function publishArticle(url: string, key: string, slug: string): Promise<string> {
  const auth = { authorization: `Bearer ${key}` };
  const created = await post<{ createArticle: { id: string } }>(
    url,
    'mutation($slug: String!) { createArticle(input: { slug: $slug, title: $slug, language: "en", section: "News" }) { id } }',
    { slug },
    auth,
  );
  if (!created.data) throw new Error(JSON.stringify(created));
  const published = await post(url, 'mutation($id: ID!) { publishArticle(id: $id) { status } }', { id: created.data.createArticle.id }, auth);
  if (published.errors) throw new Error(JSON.stringify(published));
  return slug;
}

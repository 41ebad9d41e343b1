import fs from 'node:fs';
import path from 'node:path';

/** The reference facts, read straight from the project's copy of the archive page's data. */
export const SEED = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'content', 'seed-content.json'), 'utf8'));
export const REFERENCE_SLUG = 'the-global-links-initiative-story';
export const REFERENCE = SEED.articles.find((a: { slug: string }) => a.slug === REFERENCE_SLUG);

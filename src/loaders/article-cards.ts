import type { Article } from '../../entities/article.entity';
import type { Image } from '../../entities/image.entity';
import type { License } from '../../entities/license.entity';
import type { Publication } from '../../entities/publication.entity';
import type { Row } from '../db';
import {
  IMAGE_COLUMNS,
  LICENSE_COLUMNS,
  PUBLICATION_COLUMNS,
  articleColumns,
  columns,
  keptText,
  toArticle,
  toImage,
  toLicense,
  toPublication,
} from '../rows';
import type { KeptLoader } from './batch';

export interface CardLoaders {
  publicationById: KeptLoader<number, Publication | null>;
  licenseById: KeptLoader<number, License | null>;
  imageById: KeptLoader<number, Image | null>;
}

/**
 * Every article query also fetches what an article card always shows (its publication, license,
 * hero image and the image's license) by joining them into the same statement, and primes their
 * loaders, so resolving those fields runs no SQL of its own.
 */
export const cardColumns = keptText((a: string, withBody: boolean = false) =>
  [
    articleColumns(a, '', withBody),
    columns(PUBLICATION_COLUMNS, `${a}_p`, `${a}_p_`),
    columns(LICENSE_COLUMNS, `${a}_l`, `${a}_l_`),
    columns(IMAGE_COLUMNS, `${a}_i`, `${a}_i_`),
    columns(LICENSE_COLUMNS, `${a}_il`, `${a}_il_`),
  ].join(', '),
);

export const cardJoins = keptText(
  (a: string) => `LEFT JOIN publication ${a}_p ON ${a}_p.id = ${a}.publication_id
          LEFT JOIN license ${a}_l ON ${a}_l.id = ${a}.license_id
          LEFT JOIN image ${a}_i ON ${a}_i.id = ${a}.hero_image_id
          LEFT JOIN license ${a}_il ON ${a}_il.id = ${a}_i.license_id`,
);

/** The joined tables' column prefixes and id columns for an article alias, made once per alias. */
const cardPrefixes = new Map<string, { p: string; l: string; i: string; il: string; pId: string; lId: string; iId: string; ilId: string }>();

function prefixesOf(a: string) {
  let found = cardPrefixes.get(a);
  if (!found) {
    const [p, l, i, il] = ['p', 'l', 'i', 'il'].map((table) => `${a}_${table}_`);
    cardPrefixes.set(a, (found = { p, l, i, il, pId: `${p}id`, lId: `${l}id`, iId: `${i}id`, ilId: `${il}id` }));
  }
  return found;
}

export function readCard(row: Row, a: string, loaders: CardLoaders): Article {
  const article = toArticle(row);
  const k = prefixesOf(a);
  // A page's cards share a few licenses and publications: each is built once.
  if (row[k.pId] != null) loaders.publicationById.primeWith(Number(row[k.pId]), () => toPublication(row, k.p));
  if (row[k.lId] != null) loaders.licenseById.primeWith(Number(row[k.lId]), () => toLicense(row, k.l));
  if (row[k.iId] != null) loaders.imageById.primeWith(Number(row[k.iId]), () => toImage(row, k.i));
  if (row[k.ilId] != null) loaders.licenseById.primeWith(Number(row[k.ilId]), () => toLicense(row, k.il));
  return article;
}

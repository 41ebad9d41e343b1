import type { CacheTags } from '../cache/cache-tags';
import type { DataSource } from 'typeorm';
import type { TranslationRequest } from '../../entities/translation-request.entity';
import { query } from '../db/sql';
import { translationRequestRows } from './translation-request-rows';
import { loader } from '../graphql/batch';

export interface TranslationFacts {
  /** The published original, when the article asked about is itself a translation. */
  original: { id: number; language: string } | null;
  /** Another published version of the same original in the language asked for. */
  translationId: number | null;
  /** Readers' request for the original in the language asked for. */
  request: TranslationRequest | null;
}

export interface TranslationKey {
  articleId: number;
  language: string;
}

/**
 * For each (article, target language): the original, the published version in that language and
 * the readers' request, in one statement per language, so that a page of any size costs the same.
 * Only ids and languages of the versions: a list shows the state, and the drivers build row
 * objects a column at a time, so every column selected costs each row. A client asking for the
 * translation itself loads it by id.
 */
export function translationFacts(db: DataSource, tags: CacheTags) {
  return loader<TranslationKey, TranslationFacts, string>(
    async (keys) => {
      const byLanguage = new Map<string, number[]>();
      for (const k of keys) byLanguage.set(k.language, [...(byLanguage.get(k.language) ?? []), k.articleId]);
      const facts = new Map<string, TranslationFacts>();
      for (const [language, articleIds] of byLanguage) {
        const rows = await query(
          db,
          `SELECT x.id AS article_id, o.id AS o_id, o.language AS o_language, o.status AS o_status, t.id AS t_id,
                  ${translationRequestRows.select('q', 'q_')}
             FROM article x
             JOIN article o ON o.id = COALESCE(x.translation_of_id, x.id)
             LEFT JOIN article t ON t.translation_of_id = o.id AND t.language = :language AND t.status = 'PUBLISHED' AND t.id <> x.id
             LEFT JOIN translation_request q ON q.article_id = o.id AND q.language = :language
            WHERE x.id IN (:...articleIds)
            ORDER BY x.id, t.id`,
          { language, articleIds },
        );
        for (const r of rows) {
          const key = `${r.article_id}|${language}`;
          if (facts.has(key)) continue;
          tags.add('translations', Number(r.o_id));
          const isTranslation = Number(r.o_id) !== Number(r.article_id);
          facts.set(key, {
            original: isTranslation && r.o_status === 'PUBLISHED' ? { id: Number(r.o_id), language: r.o_language as string } : null,
            translationId: r.t_id == null ? null : Number(r.t_id),
            request: r.q_id == null ? null : translationRequestRows.read(r, 'q_'),
          });
        }
      }
      return keys.map((k) => facts.get(`${k.articleId}|${k.language}`) ?? { original: null, translationId: null, request: null });
    },
    (k) => `${k.articleId}|${k.language}`,
  );
}

import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import type { TranslationRequest } from '../../entities/translation-request.entity';
import { query } from '../db';
import { articleColumns, toArticle, toTranslationRequest } from '../rows';
import { loader } from './batch';

export interface TranslationFacts {
  translation: Article | null;
  request: TranslationRequest | null;
}

export interface TranslationKey {
  originalId: number;
  language: string;
}

/**
 * For each (original, target language): its published translation and the readers' request, in one
 * statement per language, so that a page of any size costs the same.
 */
export function translationFacts(db: DataSource) {
  return loader<TranslationKey, TranslationFacts, string>(
    async (keys) => {
      const byLanguage = new Map<string, number[]>();
      for (const k of keys) byLanguage.set(k.language, [...(byLanguage.get(k.language) ?? []), k.originalId]);
      const facts = new Map<string, TranslationFacts>();
      for (const [language, originalIds] of byLanguage) {
        const rows = await query(
          db,
          `SELECT o.id AS original_id, ${articleColumns('t', 't_')},
                  q.id AS q_id, q.article_id AS q_article_id, q.language AS q_language, q.status AS q_status,
                  q.request_count AS q_request_count, q.created_at AS q_created_at, q.updated_at AS q_updated_at
             FROM article o
             LEFT JOIN article t ON t.translation_of_id = o.id AND t.language = :language AND t.status = 'PUBLISHED'
             LEFT JOIN translation_request q ON q.article_id = o.id AND q.language = :language
            WHERE o.id IN (:...originalIds)
            ORDER BY o.id, t.id`,
          { language, originalIds },
        );
        for (const r of rows) {
          const key = `${r.original_id}|${language}`;
          if (facts.has(key)) continue;
          facts.set(key, {
            translation: r.t_id == null ? null : toArticle(r, 't_'),
            request: r.q_id == null ? null : toTranslationRequest(r, 'q_'),
          });
        }
      }
      return keys.map((k) => facts.get(`${k.originalId}|${k.language}`) ?? { translation: null, request: null });
    },
    (k) => `${k.originalId}|${k.language}`,
  );
}

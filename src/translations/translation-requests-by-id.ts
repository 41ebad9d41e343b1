import type { DataSource } from 'typeorm';
import type { TranslationRequest } from '../../entities/translation-request.entity';
import { query } from '../db/sql';
import { translationRequestRows } from './translation-request-rows';
import { loader, oneEach } from '../graphql/batch';

export function translationRequestsById(db: DataSource) {
  return loader<number, TranslationRequest | null>(async (ids) => {
    const rows = await query(db, `SELECT ${translationRequestRows.select('q')} FROM translation_request q WHERE q.id IN (:...ids)`, { ids });
    return oneEach(ids, rows.map((r) => translationRequestRows.read(r)), (t) => t.rowId);
  });
}

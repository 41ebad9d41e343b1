import type { DataSource } from 'typeorm';
import type { TranslationRequest } from '../../entities/translation-request.entity';
import { query } from '../db';
import { toTranslationRequest } from '../rows';
import { loader, oneEach } from './batch';

export function translationRequestsById(db: DataSource) {
  return loader<number, TranslationRequest | null>(async (ids) => {
    const rows = await query(db, 'SELECT * FROM translation_request WHERE id IN (:...ids)', { ids });
    return oneEach(ids, rows.map((r) => toTranslationRequest(r)), (t) => t.rowId);
  });
}

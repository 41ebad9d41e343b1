import { TranslationRequest } from '../../entities/translation-request.entity';
import { rowMapping } from '../db/row-mapping';

export const translationRequestRows = rowMapping(TranslationRequest);

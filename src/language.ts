import { userInputError } from './errors';

// Intl implements the BCP 47 grammar; a hand-written regex would accept tags that Intl rejects.
export function canonicalLanguage(tag: string, field = 'language'): string {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 35) {
    throw userInputError(`${field} must be a BCP 47 language tag such as "en" or "pt-BR".`, field);
  }
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical;
  } catch {
    throw userInputError(`${field} "${tag}" is not a valid BCP 47 language tag (for example "en", "ja" or "pt-BR").`, field);
  }
}

/**
 * The language a translation is made into: translators write for a language and script, not a
 * region, so "ja-JP" and "ja" are one request, while "zh-TW" (Traditional script) and "zh" are two.
 */
export function translationTarget(tag: string, field = 'language'): string {
  const locale = new Intl.Locale(canonicalLanguage(tag, field));
  const script = locale.maximize().script;
  const defaultScript = new Intl.Locale(locale.language).maximize().script;
  return script && script !== defaultScript ? `${locale.language}-${script}` : locale.language;
}

/** True when a reader of `reader` can read text written in `written` without a translation. */
export function readsAsOriginal(written: string, reader: string): boolean {
  return translationTarget(written) === translationTarget(reader);
}

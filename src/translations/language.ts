import { userInputError } from '../graphql/errors';

// ICU's locale lookups cost tens of microseconds and a page asks about the same few tags many
// times; the answers never change, so they are remembered (a bounded number of them).
const MEMO_LIMIT = 2000;
const canonical = new Map<string, string>();
const targets = new Map<string, string>();

function remember(memo: Map<string, string>, key: string, value: string): string {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

// Intl implements the BCP 47 grammar; a hand-written regex would accept tags that Intl rejects.
export function canonicalLanguage(tag: string, field = 'language'): string {
  const known = canonical.get(tag);
  if (known !== undefined) return known;
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 35) {
    throw userInputError(`${field} must be a BCP 47 language tag such as "en" or "pt-BR".`, field);
  }
  let result: string;
  try {
    result = Intl.getCanonicalLocales(tag)[0];
  } catch {
    throw userInputError(`${field} "${tag}" is not a valid BCP 47 language tag (for example "en", "ja" or "pt-BR").`, field);
  }
  // "und" (undetermined) is valid BCP 47 but names no language: nothing is written in it or translated into it.
  if (/^und(?:-|$)/.test(result)) throw userInputError(`${field} "${tag}" names no language; give the language itself, such as "en" or "pt-BR".`, field);
  return remember(canonical, tag, result);
}

/**
 * The language a translation is made into: translators write for a language and script, not a
 * region, so "ja-JP" and "ja" are one request, while "zh-TW" (Traditional script) and "zh" are two.
 */
export function translationTarget(tag: string, field = 'language'): string {
  const known = targets.get(tag);
  if (known !== undefined) return known;
  const locale = new Intl.Locale(canonicalLanguage(tag, field));
  const script = locale.maximize().script;
  const defaultScript = new Intl.Locale(locale.language).maximize().script;
  return remember(targets, tag, script && script !== defaultScript ? `${locale.language}-${script}` : locale.language);
}

/** True when a reader of `reader` can read text written in `written` without a translation. */
export function readsAsOriginal(written: string, reader: string): boolean {
  return translationTarget(written) === translationTarget(reader);
}

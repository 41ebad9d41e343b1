import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { canonicalLanguage } from '../translations/language';

// Rules for what editors send. Each failure names the field (`input.slug`), so a form can show it
// next to the right box; the lengths match the columns of the initial migration.

export const slug = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters and digits separated by single hyphens, like "my-article"');

export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => v.trim().length > 0, 'must not be empty');
}

export function optionalText(max: number) {
  return z.string().max(max, `must be at most ${max} characters`).nullish();
}

export const language = z.string().transform((tag, ctx) => {
  try {
    return canonicalLanguage(tag);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${tag.slice(0, 40)}" is not a BCP 47 language tag (for example "en", "ja" or "pt-BR")` });
    return z.NEVER;
  }
});

export const httpUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

export const paragraphs = z
  .array(z.string().max(20_000, 'each paragraph must be at most 20000 characters'))
  .max(500, 'must have at most 500 paragraphs');

/**
 * Authors one article credits. The cost estimate counts every `authors` list at this length, so it
 * bounds what a page of articles with their bylines may cost.
 */
export const MAX_AUTHORS = 10;

export function idList(max: number) {
  return z
    .array(z.string())
    .max(max, `must list at most ${max} ids`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not list the same id twice');
}

/** Parses an input object, or throws BAD_USER_INPUT naming the first field at fault (and listing all). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root = 'input'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    field: [root, ...issue.path.filter((p) => typeof p !== 'number')].join('.'),
    // Zod's own wording ("Invalid input: expected string, received null") is for developers.
    message: issue.code === 'invalid_type' ? `must be a ${issue.expected}` : issue.message,
  }));
  return fail(issues);
}

function fail(issues: Array<{ field: string; message: string }>): never {
  const [first] = issues;
  throw new GraphQLError(`${first.field} ${first.message}.`, {
    extensions: { code: 'BAD_USER_INPUT', field: first.field, issues },
  });
}

/** A BAD_USER_INPUT about one field of the input, in the same shape parseInput reports. */
export function fieldError(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field} ${message}.`, { extensions: { code: 'BAD_USER_INPUT', field, issues: [{ field, message }] } });
}

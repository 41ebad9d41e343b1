import { Field, ID, InputType } from 'type-graphql';
import { ArticleKind } from '../entities/enums';

// What editors send. Shapes only: the rules (slug format, lengths, BCP 47 tags, references that
// must exist) are checked by the services, which name the field at fault.

@InputType({ description: 'A new article. It starts as a DRAFT; publishArticle makes it public.' })
export class CreateArticleInput {
  @Field({ description: 'Lowercase letters and digits separated by single hyphens; unique among all articles.' })
  slug: string;

  @Field(() => ArticleKind, { nullable: true, description: 'ARTICLE when not given.' })
  kind?: ArticleKind | null;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  displayTitle?: string | null;

  @Field({ description: 'BCP 47 language tag, e.g. "en" or "pt-BR".' })
  language: string;

  @Field(() => String, { nullable: true })
  section?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => [String], { nullable: true, description: 'Paragraphs, in order.' })
  body?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Authors, in the order they are credited.' })
  authorIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Curated related articles, in order.' })
  relatedIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The key of a license, e.g. "cc-by-4.0".' })
  licenseKey?: string | null;

  @Field(() => ID, { nullable: true })
  heroImageId?: string | null;

  @Field(() => String, { nullable: true })
  publicationKey?: string | null;
}

@InputType({ description: 'Fields to change; fields left out stay as they are, and null clears an optional one.' })
export class UpdateArticleInput {
  @Field(() => String, { nullable: true })
  slug?: string;

  @Field(() => ArticleKind, { nullable: true })
  kind?: ArticleKind;

  @Field(() => String, { nullable: true })
  title?: string;

  @Field(() => String, { nullable: true })
  displayTitle?: string | null;

  @Field(() => String, { nullable: true })
  language?: string;

  @Field(() => String, { nullable: true })
  section?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => [String], { nullable: true })
  body?: string[] | null;

  @Field(() => [ID], { nullable: true })
  authorIds?: string[];

  @Field(() => [ID], { nullable: true })
  relatedIds?: string[];

  @Field(() => String, { nullable: true })
  licenseKey?: string | null;

  @Field(() => ID, { nullable: true })
  heroImageId?: string | null;

  @Field(() => String, { nullable: true })
  publicationKey?: string | null;
}

import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { toGlobalId } from '../src/graphql/global-id';
import { ArticleKind, ArticleStatus } from './enums';
import { Node } from './node.interface';

const paragraphs = {
  to: (value: string[] | null | undefined): string | null => (value == null ? null : JSON.stringify(value)),
  from: (value: string | null): string[] | null => (value == null ? null : (JSON.parse(value) as string[])),
};

@ObjectType({ implements: Node, description: 'One piece of content in one language.' })
@Entity('article')
export class Article implements Node {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Article', this.rowId);
  }

  @Field()
  @Column({ type: 'varchar', length: 200, unique: true })
  slug: string;

  @Field(() => ArticleKind)
  @Column({ type: 'varchar', length: 20 })
  kind: ArticleKind;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Field(() => String, { nullable: true, description: 'The title as the page heading shows it.' })
  @Column({ name: 'display_title', type: 'varchar', length: 1000, nullable: true })
  displayTitle: string | null;

  @Column({ name: 'publication_id', type: 'integer', nullable: true })
  publicationId: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  section: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  /** Undefined when the article was read for a list; the body field resolver loads it then. */
  @Column({ type: 'text', nullable: true, transformer: paragraphs })
  body?: string[] | null;

  @Field({ description: 'BCP 47 language tag.' })
  @Column({ type: 'varchar', length: 35 })
  language: string;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  @Column({ name: 'published_at', type: Date, nullable: true })
  publishedAt: Date | null;

  @Field(() => ArticleStatus)
  @Column({ type: 'varchar', length: 20 })
  status: ArticleStatus;

  @Column({ name: 'hero_image_id', type: 'integer', nullable: true })
  heroImageId: number | null;

  @Column({ name: 'license_id', type: 'integer', nullable: true })
  licenseId: number | null;

  @Column({ name: 'translation_of_id', type: 'integer', nullable: true })
  translationOfId: number | null;

  @Field({ description: 'True for rows made by the synthetic data generator, never for real content.' })
  @Column({ type: Boolean, default: false })
  synthetic: boolean;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Field(() => GraphQLDateTimeISO, { description: 'When the article last changed: an edit, publishing or unpublishing.' })
  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}

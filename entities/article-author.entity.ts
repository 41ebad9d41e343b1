import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An author credited on an article, in byline order. */
@Entity('article_author')
export class ArticleAuthor {
  @PrimaryColumn({ name: 'article_id', type: 'integer' })
  articleId: number;

  @PrimaryColumn({ name: 'author_id', type: 'integer' })
  authorId: number;

  @Column({ type: 'integer' })
  position: number;
}

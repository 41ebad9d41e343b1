import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A curated "You may also like" link, in the order editors chose. */
@Entity('article_related')
export class ArticleRelated {
  @PrimaryColumn({ name: 'article_id', type: 'integer' })
  articleId: number;

  @PrimaryColumn({ name: 'related_id', type: 'integer' })
  relatedId: number;

  @Column({ type: 'integer' })
  position: number;
}

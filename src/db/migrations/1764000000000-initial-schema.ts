import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

type Dialect = 'sqlite' | 'postgres';

function dialectOf(queryRunner: QueryRunner): Dialect {
  return queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

function columns(dialect: Dialect) {
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'datetime';
  return {
    id: (): TableColumnOptions => ({
      name: 'id',
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    int: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable }),
    text: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable }),
    // Byte order, as SQLite compares text: keyset pages over slugs and keys, and lists ordered by
    // language, come out the same on both engines whatever locale the PostgreSQL cluster has.
    varchar: (name: string, length: number, isNullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
      ...(dialect === 'postgres' ? { collation: 'C' } : {}),
    }),
    bool: (name: string, isNullable = false, defaultValue?: boolean): TableColumnOptions => ({
      name,
      type: 'boolean',
      isNullable,
      ...(defaultValue === undefined ? {} : { default: defaultValue ? 'true' : 'false' }),
    }),
    time: (name: string, isNullable = false): TableColumnOptions => ({ name, type: timestamp, isNullable }),
  };
}

function primary(column: TableColumnOptions): TableColumnOptions {
  return { ...column, isPrimary: true };
}

function published(name: string, leading: string[]): TableIndex {
  return new TableIndex({ name, columnNames: [...leading, 'published_at', 'id'], where: "status = 'PUBLISHED'" });
}

function fk(column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT'): TableForeignKey {
  return new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
}

/** The whole content schema, written against TypeORM's Table API so the same migration runs on SQLite and PostgreSQL. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    const c = columns(dialect);

    await queryRunner.createTable(
      new Table({ name: 'app_setting', columns: [primary(c.varchar('key', 100)), c.text('value')] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'publication',
        columns: [c.id(), c.varchar('key', 100), c.varchar('name', 300)],
        uniques: [{ name: 'uq_publication_key', columnNames: ['key'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'license',
        columns: [
          c.id(),
          c.varchar('key', 100),
          c.varchar('name', 300),
          c.varchar('short_name', 100),
          c.varchar('url', 2000, true),
          c.bool('attribution_required', true),
          c.bool('commercial_use_allowed', true),
          c.bool('derivatives_allowed', true),
          c.bool('share_alike', true),
          c.bool('synthetic', false, false),
        ],
        uniques: [{ name: 'uq_license_key', columnNames: ['key'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'image',
        columns: [
          c.id(),
          c.varchar('key', 200),
          c.varchar('title', 500),
          c.varchar('creator', 300, true),
          c.varchar('source_url', 2000, true),
          c.int('license_id', true),
          c.bool('synthetic', false, false),
        ],
        uniques: [{ name: 'uq_image_key', columnNames: ['key'] }],
        foreignKeys: [fk('license_id', 'license', 'RESTRICT')],
        indices: [new TableIndex({ name: 'idx_image_license', columnNames: ['license_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'author',
        columns: [
          c.id(),
          c.varchar('slug', 200),
          c.varchar('name', 300),
          c.text('bio', true),
          c.varchar('affiliation', 300, true),
          c.bool('synthetic', false, false),
        ],
        uniques: [{ name: 'uq_author_slug', columnNames: ['slug'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'article',
        columns: [
          c.id(),
          c.varchar('slug', 200),
          c.varchar('kind', 20),
          c.varchar('title', 500),
          c.varchar('display_title', 1000, true),
          c.int('publication_id', true),
          c.varchar('section', 200, true),
          c.text('summary', true),
          c.text('body', true),
          c.varchar('language', 35),
          c.time('published_at', true),
          c.varchar('status', 20),
          c.int('hero_image_id', true),
          c.int('license_id', true),
          c.int('translation_of_id', true),
          c.bool('synthetic', false, false),
          c.time('created_at'),
          c.time('updated_at'),
        ],
        uniques: [{ name: 'uq_article_slug', columnNames: ['slug'] }],
        foreignKeys: [
          fk('publication_id', 'publication', 'RESTRICT'),
          fk('hero_image_id', 'image', 'SET NULL'),
          fk('license_id', 'license', 'RESTRICT'),
          fk('translation_of_id', 'article', 'CASCADE'),
        ],
        // Every public list is "published, newest first" plus at most one equality filter: each
        // partial index below serves one filter as a keyset scan without a sort. Partial rather than
        // led by status, so that the planner never prefers a two-valued column over a primary key.
        indices: [
          published('idx_article_feed', []),
          published('idx_article_section', ['section']),
          published('idx_article_language', ['language']),
          published('idx_article_publication', ['publication_id']),
          published('idx_article_license', ['license_id']),
          new TableIndex({ name: 'idx_article_translation_of', columnNames: ['translation_of_id', 'language'] }),
          new TableIndex({ name: 'idx_article_hero_image', columnNames: ['hero_image_id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'article_author',
        columns: [primary(c.int('article_id')), primary(c.int('author_id')), c.int('position')],
        foreignKeys: [fk('article_id', 'article', 'CASCADE'), fk('author_id', 'author', 'CASCADE')],
        indices: [new TableIndex({ name: 'idx_article_author_author', columnNames: ['author_id', 'article_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'article_related',
        columns: [primary(c.int('article_id')), primary(c.int('related_id')), c.int('position')],
        foreignKeys: [fk('article_id', 'article', 'CASCADE'), fk('related_id', 'article', 'CASCADE')],
        indices: [new TableIndex({ name: 'idx_article_related_related', columnNames: ['related_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'translation_request',
        columns: [
          c.id(),
          c.int('article_id'),
          c.varchar('language', 35),
          c.varchar('status', 20),
          { name: 'request_count', type: 'integer', default: 0 },
          c.time('created_at'),
          c.time('updated_at'),
        ],
        uniques: [{ name: 'uq_translation_request_article_language', columnNames: ['article_id', 'language'] }],
        foreignKeys: [fk('article_id', 'article', 'CASCADE')],
        indices: [new TableIndex({ name: 'idx_translation_request_status', columnNames: ['status', 'updated_at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'translation_request_reader',
        columns: [primary(c.int('request_id')), primary(c.varchar('reader_hash', 64)), c.time('created_at')],
        foreignKeys: [fk('request_id', 'translation_request', 'CASCADE')],
      }),
    );

    if (dialect === 'sqlite') await this.createSqliteSearch(queryRunner);
    else await this.createPostgresSearch(queryRunner);
  }

  /**
   * The PostgreSQL twin of the FTS5 index: a generated tsvector (title weighted A, summary B, body D,
   * so that a query can ask "in the title?" as FTS5's column filters do) that is NULL for anything
   * unpublished, under a GIN index. Its
   * text search configuration mirrors FTS5's "porter unicode61 remove_diacritics" tokenizer:
   * accents removed, English stemming, and, unlike PostgreSQL's 'english', no stop words, so that
   * a query for "the" finds what it finds on SQLite.
   */
  private async createPostgresSearch(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await queryRunner.query('CREATE TEXT SEARCH DICTIONARY gateway_stem (TEMPLATE = snowball, Language = english)');
    await queryRunner.query('CREATE TEXT SEARCH CONFIGURATION gateway_search (COPY = simple)');
    await queryRunner.query(
      'ALTER TEXT SEARCH CONFIGURATION gateway_search ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, gateway_stem',
    );
    const vector = (column: string, weight: string) =>
      `setweight(to_tsvector('gateway_search', coalesce(${column}, '')), '${weight}')`;
    await queryRunner.query(
      `ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
         CASE WHEN status = 'PUBLISHED' THEN ${vector('title', 'A')} || ${vector('summary', 'B')} || ${vector('body', 'D')} END
       ) STORED`,
    );
    await queryRunner.query('CREATE INDEX idx_article_search ON article USING GIN (search_vector)');
  }

  /**
   * FTS5 over the article table itself (external content), holding published articles only, kept
   * in step by triggers so that every write path, raw bulk loads included, updates the index in the
   * same transaction. Drafts never enter it, so a search never has to look past them. The body
   * column holds a JSON array of paragraphs; FTS5's tokenizer treats its brackets and quotes as
   * separators.
   */
  private async createSqliteSearch(queryRunner: QueryRunner): Promise<void> {
    const add = (when: string) =>
      `INSERT INTO article_fts(rowid, title, summary, body) SELECT new.id, new.title, new.summary, new.body WHERE ${when};`;
    const remove = (when: string) =>
      `INSERT INTO article_fts(article_fts, rowid, title, summary, body) SELECT 'delete', old.id, old.title, old.summary, old.body WHERE ${when};`;
    await queryRunner.query(
      `CREATE VIRTUAL TABLE article_fts USING fts5(title, summary, body, content='article', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`,
    );
    await queryRunner.query(`CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN ${add("new.status = 'PUBLISHED'")} END`);
    await queryRunner.query(`CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN ${remove("old.status = 'PUBLISHED'")} END`);
    // One trigger, so that the old entry always leaves the index before the new one enters it.
    await queryRunner.query(
      `CREATE TRIGGER article_fts_update AFTER UPDATE OF title, summary, body, status ON article BEGIN
         ${remove("old.status = 'PUBLISHED'")}
         ${add("new.status = 'PUBLISHED'")}
       END`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (dialectOf(queryRunner) === 'sqlite') await queryRunner.query('DROP TABLE IF EXISTS article_fts');
    for (const table of [
      'translation_request_reader',
      'translation_request',
      'article_related',
      'article_author',
      'article',
      'author',
      'image',
      'license',
      'publication',
      'app_setting',
    ]) {
      await queryRunner.dropTable(table, true);
    }
    if (dialectOf(queryRunner) === 'postgres') {
      await queryRunner.query('DROP TEXT SEARCH CONFIGURATION IF EXISTS gateway_search');
      await queryRunner.query('DROP TEXT SEARCH DICTIONARY IF EXISTS gateway_stem');
    }
  }
}

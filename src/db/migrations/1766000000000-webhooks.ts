import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Webhooks and their deliveries: the delivery state lives here, so a restart resumes where it stopped. */
export class Webhooks1766000000000 implements MigrationInterface {
  name = 'Webhooks1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await queryRunner.createTable(
      new Table({
        name: 'webhook',
        columns: [
          id,
          { name: 'url', type: 'varchar', length: '2000' },
          // EventType names, comma-separated.
          { name: 'events', type: 'varchar', length: '200' },
          { name: 'filter_section', type: 'varchar', length: '200', isNullable: true },
          { name: 'filter_language', type: 'varchar', length: '35', isNullable: true },
          // Needed in clear to sign with; shown to the editor once, at creation and rotation.
          { name: 'secret', type: 'varchar', length: '100' },
          { name: 'active', type: 'boolean' },
          { name: 'disabled_reason', type: 'text', isNullable: true },
          { name: 'consecutive_failures', type: 'integer', default: 0 },
          // The last event this webhook's deliveries were planned up to.
          { name: 'cursor', type: 'integer' },
          // Which instance is delivering for this webhook, until when: one sender, in order.
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_until', type: timestamp, isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_delivery',
        columns: [
          id,
          { name: 'webhook_id', type: 'integer' },
          { name: 'event_id', type: 'integer' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_status_code', type: 'integer', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'next_attempt_at', type: timestamp },
          { name: 'first_attempt_at', type: timestamp, isNullable: true },
          { name: 'delivered_at', type: timestamp, isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        uniques: [{ name: 'uq_webhook_delivery_event', columnNames: ['webhook_id', 'event_id'] }],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['webhook_id'], referencedTableName: 'webhook', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_delivery_pending', columnNames: ['webhook_id', 'status', 'event_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_delivery', true);
    await queryRunner.dropTable('webhook', true);
  }
}

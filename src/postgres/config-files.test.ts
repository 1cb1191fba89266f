import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderPostgresqlConf } from '../core/pg/conf.js';
import { parseRecoveryBlock } from './config-files.js';

describe('parseRecoveryBlock', () => {
  it('reads back the recovery block we render, quotes and backslashes included', () => {
    const recovery = {
      primary_conninfo: "user=r passfile=/p host=h port=1 application_name=o\\'k",
      primary_slot_name: 'n2',
      restore_command: "cp '/a b/%f' %p",
      recovery_target: '',
    };
    const text = renderPostgresqlConf({
      include: 'postgresql.base.conf',
      parameters: { port: 5432 },
      hbaFile: '/h',
      identFile: '/i',
      recovery,
    });
    assert.deepEqual(parseRecoveryBlock(text), recovery);
    assert.deepEqual(parseRecoveryBlock("port = '1'\n"), {});
  });
});

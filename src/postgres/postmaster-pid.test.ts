import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPostmasterCmdline } from './postmaster-pid.js';

const argv = (...a: string[]): string => `${a.join('\0')}\0`;

describe('isPostmasterCmdline', () => {
  it('knows PostgreSQL by its program name', () => {
    assert.equal(
      isPostmasterCmdline(argv('/usr/lib/postgresql/15/bin/postgres', '-D', '/d'), '/x'),
      true,
    );
  });

  it("knows a fork's server (bin_name.postgres) by the data directory it was started on", () => {
    assert.equal(
      isPostmasterCmdline(argv('/opt/qhb/bin/qhb', '-D', '/data/qhb'), '/data/qhb'),
      true,
    );
    assert.equal(
      isPostmasterCmdline(argv('/opt/qhb/bin/qhb', '--pgdata=/data/qhb'), '/data/qhb'),
      true,
    );
  });

  it('rejects another program that took over the pid', () => {
    assert.equal(
      isPostmasterCmdline(argv('/usr/bin/vim', '/data/qhb/qhb.conf'), '/data/qhb'),
      false,
    );
  });
});

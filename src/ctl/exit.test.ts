import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PatroniError } from '../shared/errors.js';
import { exitVerdict } from './exit.js';

describe('the one exit path', () => {
  it('usage errors exit 2, everything else 1, each as one line', () => {
    assert.deepEqual(
      exitVerdict(new PatroniError('CTL_USAGE', "Missing argument 'CLUSTER_NAME'.")),
      {
        code: 2,
        stderr: "Error: Missing argument 'CLUSTER_NAME'.",
      },
    );
    assert.deepEqual(exitVerdict(new PatroniError('CTL_ABORTED', 'Aborted!')), {
      code: 1,
      stderr: 'Aborted!',
    });
    assert.deepEqual(exitVerdict(new PatroniError('CTL_FAILED', 'Cluster is already paused')), {
      code: 1,
      stderr: 'Error: Cluster is already paused',
    });
  });

  it("a library's multi-line message is cut to its first line; never a stack", () => {
    const v = exitVerdict(
      new PatroniError(
        'DCS_UNREACHABLE',
        'etcd: range failed: 14 UNAVAILABLE: No connection established. Resolution note:\n  more',
      ),
    );
    assert.deepEqual(v, {
      code: 1,
      stderr: 'Error: etcd: range failed: 14 UNAVAILABLE: No connection established',
    });
    assert.deepEqual(exitVerdict(new TypeError('boom')), { code: 1, stderr: 'Error: boom' });
    assert.deepEqual(exitVerdict('odd'), { code: 1, stderr: 'Error: odd' });
  });
});

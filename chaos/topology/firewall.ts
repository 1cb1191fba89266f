/**
 * Partitions as nft rules inside a node's namespace, in a table of our own (`inet chaos`), so
 * removing that table undoes exactly what we added. Packets are dropped, not rejected: a
 * partitioned peer sees silence, as on a real network, and established connections hang.
 */
import { spawn } from 'node:child_process';

const TABLE = 'inet chaos';

async function nft(ns: string, script: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`nft in ${ns} exited with ${code}: ${err.trim()}\n${script}`));
    });
    child.stdin.end(script);
  });
}

/** Replaces the namespace's chaos table with `chains` (declaring it first makes delete safe). */
async function replace(ns: string, chains: string): Promise<void> {
  await nft(ns, `table ${TABLE}\ndelete table ${TABLE}\ntable ${TABLE} {\n${chains}\n}\n`);
}

/** Drops every packet between the namespace and `address` on these TCP ports, both ways. */
export async function dropPorts(
  ns: string,
  address: string,
  ports: readonly number[],
): Promise<void> {
  const set = `{ ${ports.join(', ')} }`;
  await replace(
    ns,
    [
      '  chain out {',
      '    type filter hook output priority 0; policy accept;',
      `    ip daddr ${address} tcp dport ${set} drop`,
      '  }',
      '  chain in {',
      '    type filter hook input priority 0; policy accept;',
      `    ip saddr ${address} tcp sport ${set} drop`,
      '  }',
    ].join('\n'),
  );
}

/** Drops every packet but loopback's: the namespace is alone. */
export async function dropAll(ns: string): Promise<void> {
  await replace(
    ns,
    [
      '  chain out {',
      '    type filter hook output priority 0; policy drop;',
      '    oif lo accept',
      '  }',
      '  chain in {',
      '    type filter hook input priority 0; policy drop;',
      '    iif lo accept',
      '  }',
    ].join('\n'),
  );
}

/** Removes the chaos table (nothing to do when there is none). */
export async function clearRules(ns: string): Promise<void> {
  await nft(ns, `table ${TABLE}\ndelete table ${TABLE}\n`);
}

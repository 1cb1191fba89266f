import { connect } from 'node:net';

/**
 * Requests etcd's v2 API received, by kind, from its Prometheus /metrics text: etcd 3.4 counts
 * every v2 key request but a watch in `etcd_http_received_total` by HTTP method (QGET: a quorum
 * GET), and each watch (`?wait=true`) in `etcd_debugging_store_watch_requests_total` ("WATCH").
 * `/v2/machines` and `/v2/members` are counted nowhere.
 */
export function etcdV2Requests(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    const http = /^etcd_http_received_total\{method="([^"]*)"\}\s+(\S+)$/.exec(line);
    const watch = /^etcd_debugging_store_watch_requests_total\s+(\S+)$/.exec(line);
    if (http !== null) out.set(http[1] ?? '?', Number(http[2]));
    if (watch !== null) out.set('WATCH', Number(watch[1]));
  }
  return out;
}

/** ZooKeeper's `mntr` answer: one `key<TAB>value` a line. */
export function parseMntr(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1).trim());
  }
  return out;
}

/** Sends a four-letter word (it must be in zoo.cfg's `4lw.commands.whitelist`) and returns the answer. */
export function fourLetterWord(port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy(new Error(`ZooKeeper on port ${port}: no answer to ${word}`));
    });
    socket.on('connect', () => {
      socket.end(word);
    });
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', (hadError) => {
      if (!hadError) resolve(answer);
    });
    socket.on('error', reject);
  });
}

/** `zk_packets_received` of a ZooKeeper server: every client request, pings included. */
export async function zkPacketsReceived(port: number): Promise<number> {
  const mntr = parseMntr(await fourLetterWord(port, 'mntr'));
  const value = Number(mntr.get('zk_packets_received'));
  if (!Number.isFinite(value))
    throw new Error(`ZooKeeper on port ${port}: mntr has no zk_packets_received`);
  return value;
}

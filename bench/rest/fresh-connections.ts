import { request } from 'node:http';

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * A closed-loop load of one request per TCP connection, the way HAProxy's `httpchk` probes a
 * node. autocannon reuses sockets (its `Connection: close` mode stalls on reconnects and reports
 * second-long latencies that are its own), so this case is measured here.
 */
export async function freshConnectionLoad(
  url: string,
  durationS: number,
  connections: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const deadline = performance.now() + durationS * 1000;
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const status = await once();
        if (status < 200 || status > 299) non2xx++;
        latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.floor((latencies.length - 1) * q)] ?? 0;
  return { rps: latencies.length / durationS, p50: at(0.5), p99: at(0.99), non2xx, errors };
}

import { Agent, request } from 'node:http';
import type { LoadResult } from '../rest/fresh-connections.js';

/**
 * A closed loop of `connections` concurrent GETs for `durationS` seconds through one agent that
 * keeps connections alive. A server that closes after each response (Patroni 3.0.2 answers
 * HTTP/1.0 and closes) simply costs a reconnect per request, which is what its clients pay.
 * Latencies are measured in fractions of a millisecond (autocannon rounds to whole ms).
 */
export async function keepAliveLoad(
  url: string,
  durationS: number,
  connections: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const deadline = performance.now() + durationS * 1000;
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent, timeout: 10_000 }, (res) => {
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
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.floor((latencies.length - 1) * q)] ?? 0;
  return { rps: latencies.length / durationS, p50: at(0.5), p99: at(0.99), non2xx, errors };
}

/**
 * The DCS sections (surface.md §1.7). etcd/etcd3 are typed fully (they are what we implement);
 * consul, zookeeper, kubernetes, exhibitor and raft are type-checked loosely so a config written
 * for them still loads and says clearly which DCS it wants.
 */
import { z } from 'zod';
import { anyDict, bool, dict, int, list, num, section, str, stringOrList, text } from './fields.js';

/** Every DCS section Patroni knows, in the order the validator reports them. */
export const DCS_NAMES = [
  'consul',
  'etcd',
  'etcd3',
  'exhibitor',
  'kubernetes',
  'raft',
  'zookeeper',
] as const;
export type DcsName = (typeof DCS_NAMES)[number];

/** Keys of which an etcd section needs at least one. */
export const ETCD_ENDPOINT_KEYS = ['host', 'hosts', 'srv', 'srv_suffix', 'url', 'proxy'] as const;

export const etcdSchema = section({
  host: str().optional(),
  /** A list or a comma-separated string; always a list after parsing. */
  hosts: stringOrList({ nonEmpty: true }).optional(),
  srv: str().optional(),
  srv_suffix: str().optional(),
  url: str().optional(),
  proxy: str().optional(),
  use_proxies: bool().optional(),
  protocol: z
    .enum(['http', 'https'], { error: () => "didn't pass validation: Wrong value" })
    .optional(),
  port: int({ min: 1, max: 65535 }).optional(),
  username: text().optional(),
  password: text().optional(),
  cacert: str().optional(),
  cert: str().optional(),
  key: str().optional(),
  retry_timeout: num().optional(),
}).superRefine((v, ctx) => {
  if (!ETCD_ENDPOINT_KEYS.some((k) => v[k] !== undefined)) {
    for (const k of ETCD_ENDPOINT_KEYS) {
      ctx.addIssue({ code: 'custom', message: 'is not defined.', path: [k], input: undefined });
    }
  }
});

export const consulSchema = section({
  host: str().optional(),
  url: str().optional(),
  port: int().optional(),
  scheme: str().optional(),
  token: text().optional(),
  verify: bool().optional(),
  cacert: str().optional(),
  cert: str().optional(),
  key: str().optional(),
  dc: str().optional(),
  consistency: str().optional(),
  checks: list(str()).optional(),
  register_service: bool().optional(),
  service_tags: list(str()).optional(),
  service_check_interval: z.union([str(), z.number()]).optional(),
});

export const zookeeperSchema = section({
  hosts: stringOrList({ nonEmpty: true }),
  use_ssl: bool().optional(),
  verify: bool().optional(),
  cacert: str().optional(),
  cert: str().optional(),
  key: str().optional(),
  key_password: text().optional(),
  set_acls: anyDict().optional(),
  auth_data: anyDict().optional(),
});

export const kubernetesSchema = section({
  labels: dict(z.unknown()).optional(),
  namespace: str().optional(),
  bypass_api_service: bool().optional(),
  scope_label: str().optional(),
  role_label: str().optional(),
  use_endpoints: bool().optional(),
  pod_ip: str().optional(),
  ports: list(section({ name: str(), port: int() })).optional(),
  cacert: str().optional(),
  retriable_http_codes: z.union([int(), list(int())]).optional(),
  context: str().optional(),
});

export const exhibitorSchema = section({
  hosts: stringOrList({ nonEmpty: true }),
  port: int({ max: 65535 }),
  poll_interval: int().optional(),
});

export const raftSchema = section({
  self_addr: str().optional(),
  bind_addr: str().optional(),
  partner_addrs: stringOrList().optional(),
  data_dir: str().optional(),
  password: text().optional(),
});

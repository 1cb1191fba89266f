export { startTopology, SCOPE, type ChaosTopology } from './topology.js';
export type { TopologyNode } from './node.js';
export { etcdLeader } from './etcd-cluster.js';

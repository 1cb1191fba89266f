import { runEtcdContract } from '../support/etcd-contract.js';

runEtcdContract('etcd v2 (real etcd 3.4 with --enable-v2)', 'v2');

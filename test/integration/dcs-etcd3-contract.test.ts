import { runEtcdContract } from '../support/etcd-contract.js';

runEtcdContract('etcd3 (real etcd)', 'v3');

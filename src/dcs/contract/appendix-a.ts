/**
 * Appendix A of spec/core.md: a 3-node cluster `batman` as Patroni 3.0.2 writes it. Shared by
 * the codec's golden tests and the etcd integration tests; values are byte-exact.
 */
export const APPENDIX_A_BASE = '/service/batman';

export const APPENDIX_A: Readonly<Record<string, string>> = {
  config:
    '{"ttl":30,"loop_wait":10,"retry_timeout":10,"maximum_lag_on_failover":1048576,"postgresql":{"use_pg_rewind":true,"use_slots":true,"parameters":{"wal_level":"replica","hot_standby":"on","max_wal_senders":10,"max_replication_slots":10}}}',
  initialize: '7214328734719876543',
  leader: 'node2',
  'members/node1':
    '{"conn_url":"postgres://10.0.0.11:5432/postgres","api_url":"http://10.0.0.11:8008/patroni","state":"running","role":"replica","version":"3.0.2","xlog_location":67109312,"timeline":2}',
  'members/node2':
    '{"conn_url":"postgres://10.0.0.12:5432/postgres","api_url":"http://10.0.0.12:8008/patroni","state":"running","role":"master","version":"3.0.2","xlog_location":67109312,"timeline":2}',
  // The spec's appendix prints `tags` after `timeline`; Patroni 3.0.2's touch_member inserts
  // `tags` before `xlog_location` (spec §2.3 order), so that is the byte order it writes.
  // Readers parse JSON, so both orders read alike (see APPENDIX_A_NODE3_AS_PRINTED).
  'members/node3':
    '{"conn_url":"postgres://10.0.0.13:5432/postgres","api_url":"http://10.0.0.13:8008/patroni","state":"running","role":"replica","version":"3.0.2","tags":{"nofailover":true},"xlog_location":67109312,"timeline":2}',
  status: '{"optime":67109312}',
  history:
    '[[1,50331808,"no recovery target specified","2023-03-24T10:15:02.120551+00:00","node2"]]',
  failover: '{}',
};

export const APPENDIX_A_SYNC = '{"leader":"node2","sync_standby":"node1"}';
export const APPENDIX_A_FAILSAFE =
  '{"node1":"http://10.0.0.11:8008/patroni","node2":"http://10.0.0.12:8008/patroni","node3":"http://10.0.0.13:8008/patroni"}';

/** node3 exactly as the spec's appendix prints it (field order differs, content is the same). */
export const APPENDIX_A_NODE3_AS_PRINTED =
  '{"conn_url":"postgres://10.0.0.13:5432/postgres","api_url":"http://10.0.0.13:8008/patroni","state":"running","role":"replica","version":"3.0.2","xlog_location":67109312,"timeline":2,"tags":{"nofailover":true}}';

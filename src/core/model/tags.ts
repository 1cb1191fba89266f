/**
 * Member tags. The four boolean built-ins are published only when true (Patroni's rule);
 * `custom` carries every other tag verbatim so peers' tags survive a round trip.
 */
export interface Tags {
  readonly nofailover: boolean;
  readonly noloadbalance: boolean;
  readonly clonefrom: boolean;
  readonly nosync: boolean;
  readonly replicatefrom?: string;
  /** 3.2+: higher wins the leader race among equally healthy members; 0 means never. */
  readonly failoverPriority?: number;
  readonly custom: Readonly<Record<string, unknown>>;
}

export const NO_TAGS: Tags = {
  nofailover: false,
  noloadbalance: false,
  clonefrom: false,
  nosync: false,
  custom: {},
};

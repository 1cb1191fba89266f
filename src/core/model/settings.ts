/**
 * The effective global settings the HA core reads, after layering defaults <- dynamic (DCS) <-
 * local (spec/core.md §1.1). Times are seconds, sizes bytes, as in patroni.yml.
 */
export interface HaSettings {
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  readonly maximumLagOnFailover: number;
  readonly maximumLagOnSyncnode: number;
  readonly checkTimeline: boolean;
  readonly primaryStartTimeout: number;
  readonly primaryStopTimeout: number;
  readonly synchronousMode: boolean;
  readonly synchronousModeStrict: boolean;
  readonly synchronousNodeCount: number;
  readonly failsafeMode: boolean;
  readonly useSlots: boolean;
  readonly usePgRewind: boolean;
  readonly removeDataDirectoryOnRewindFailure: boolean;
  readonly removeDataDirectoryOnDivergedTimelines: boolean;
}

export const DEFAULT_HA_SETTINGS: HaSettings = {
  ttl: 30,
  loopWait: 10,
  retryTimeout: 10,
  maximumLagOnFailover: 1048576,
  maximumLagOnSyncnode: -1,
  checkTimeline: false,
  primaryStartTimeout: 300,
  primaryStopTimeout: 0,
  synchronousMode: false,
  synchronousModeStrict: false,
  synchronousNodeCount: 1,
  failsafeMode: false,
  useSlots: true,
  usePgRewind: false,
  removeDataDirectoryOnRewindFailure: false,
  removeDataDirectoryOnDivergedTimelines: false,
};

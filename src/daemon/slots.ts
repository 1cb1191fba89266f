import {
  needsHotStandbyFeedback,
  publishedSlotPositions,
  replicaLogicalWork,
  type SlotAdvance,
} from '../core/pg/logical-slots.js';
import { desiredSlots, planSlots, type DesiredSlots, type SlotSpec } from '../core/pg/slots.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { Lsn } from '../core/model/lsn.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';
import type { AsyncSlot } from './async-slot.js';
import type { NodeRuntime } from './runtime.js';

type SlotRole = 'primary' | 'standby_leader' | 'replica';

/** What one cycle's slot work follows (see HaCycle.slotsView). */
export interface SlotsView {
  /** The members, the leader and the published slot positions to follow. */
  readonly cluster: ClusterSnapshot;
  /** Missing logical slot copies may be fetched from the leader (not while failsafe is active). */
  readonly copy: boolean;
}

/** Patroni's task name while slot files are copied from the primary. */
export const COPY_LOGICAL_SLOTS = 'copy_logical_slots';

/**
 * Patroni's `_sync_replication_slots` (spec/core.md §5.1 step 14, §13): every cycle on a running
 * node with nothing in flight, make the physical slots match the members (on the primary: one per
 * member that streams from us; on a replica: the ones for members cascading from it) plus the
 * permanent slots. Without it, a replica with `primary_slot_name` cannot stream at all. Replicas
 * also keep copies of the permanent logical slots, so they survive a failover.
 */
export class ReplicationSlots {
  /** One background advance at a time; a slot far behind may take a while to decode. */
  private advancing = false;
  /** Copies whose WAL is gone (advance failed with 58P01): copied again from the primary. */
  private readonly recopy = new Set<string>();

  constructor(
    private readonly pg: Postgresql,
    private readonly slot: AsyncSlot,
    private readonly logger: Logger,
  ) {}

  async sync(runtime: NodeRuntime, view: SlotsView | null): Promise<void> {
    if (view === null || !runtime.pg.accepting) return;
    const { cluster } = view;
    const role = slotRole(runtime);
    const desired = desiredFor(runtime, role, cluster);
    for (const e of desired.errors) this.logger.error(e);
    try {
      const existing = await this.pg.observedSlots();
      const plan = planSlots(desired.slots, existing, {
        paused: runtime.effective.pause,
        ignore: runtime.effective.ignoreSlots,
        createLogical: role === 'primary',
      });
      if (plan.create.length > 0 || plan.drop.length > 0) await this.pg.applySlotPlan(plan);
      // As Patroni: on whatever the role, so a promotion or demotion does not flip it.
      const feedback = needsHotStandbyFeedback(desiredFor(runtime, 'replica', cluster).slots);
      await this.pg.enforceHotStandbyFeedback(feedback);
      if (role !== 'replica') return;
      const work = replicaLogicalWork(desired.slots, existing, cluster.slots);
      this.advance(work.advance);
      if (!view.copy) return;
      this.copy([...new Set([...work.copy, ...this.recopy])], desired.slots, cluster);
    } catch (err) {
      this.logger.warning(`replication slots not synchronized: ${errorMessage(err)}`);
    }
  }

  /**
   * The confirmed_flush_lsn of our permanent logical slots, for `/status.slots`; null unless we
   * are the primary (a standby leader's slots are its own business).
   */
  async published(runtime: NodeRuntime): Promise<Record<string, Lsn> | null> {
    // The last snapshot: a primary kept up by failsafe still sends its positions to replicas.
    const cluster = runtime.cluster ?? runtime.lastCluster;
    if (cluster === null || slotRole(runtime) !== 'primary') return null;
    const desired = desiredFor(runtime, 'primary', cluster);
    const existing = await this.pg.observedSlots().catch(() => null);
    return existing === null ? null : publishedSlotPositions(desired.slots, existing);
  }

  private advance(list: readonly SlotAdvance[]): void {
    if (this.advancing || list.length === 0) return;
    this.advancing = true;
    const run = async (): Promise<void> => {
      for (const a of list) {
        if ((await this.pg.advanceLogicalSlot(a)) === 'recopy') this.recopy.add(a.name);
      }
    };
    void run().finally(() => {
      this.advancing = false;
    });
  }

  private copy(
    names: string[],
    desired: ReadonlyMap<string, SlotSpec>,
    cluster: ClusterSnapshot,
  ): void {
    const leader = cluster.leader;
    const connUrl = leader?.member.connUrl ?? null;
    const wanted = new Map<string, SlotSpec>();
    for (const n of names) {
      const spec = desired.get(n);
      if (spec !== undefined) wanted.set(n, spec);
    }
    if (wanted.size === 0 || leader === null || connUrl === null) return;
    const ref = { name: leader.name, connUrl };
    const refused = this.slot.tryRun(COPY_LOGICAL_SLOTS, () =>
      this.pg.copyLogicalSlots(ref, wanted),
    );
    if (refused !== null) return;
    for (const n of wanted.keys()) this.recopy.delete(n);
    const list = [...wanted.keys()].map((n) => `'${n}'`).join(', ');
    this.logger.info(`Copying logical slots [${list}] from the primary`);
  }
}

function slotRole(runtime: NodeRuntime): SlotRole {
  if (runtime.pg.inRecovery === false) return 'primary';
  return runtime.memory.role === 'standby_leader' ? 'standby_leader' : 'replica';
}

function desiredFor(runtime: NodeRuntime, role: SlotRole, cluster: ClusterSnapshot): DesiredSlots {
  const { name, tags } = runtime.self;
  return desiredSlots({
    role,
    selfName: name,
    leaderName: cluster.leader?.name ?? null,
    members: cluster.members.map((m) => ({
      name: m.name,
      replicatefrom: m.tags.replicatefrom,
    })),
    useSlots: runtime.effective.ha.useSlots,
    permanent: runtime.effective.permanentSlots,
    nofailover: tags.nofailover,
  });
}

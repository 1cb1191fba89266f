import type { CtlContext } from '../context.js';
import { ctlFailure } from '../context.js';
import { renderMembers } from '../render/members.js';

/** `patronictl remove`: three typed confirmations, then the whole cluster directory goes. */
export async function removeCommand(
  ctx: CtlContext,
  clusterName: string,
  fmt: string,
): Promise<void> {
  const dcs = await ctx.openDcs(clusterName);
  const cluster = await dcs.getCluster();
  for (const chunk of renderMembers(cluster, { clusterName, fmt })) ctx.io.out(chunk);
  if ((await ctx.io.prompt('Please confirm the cluster name to remove')) !== clusterName) {
    throw ctlFailure('Cluster names specified do not match');
  }
  const message = 'Yes I am aware';
  const typed = await ctx.io.prompt(
    `You are about to remove all information in DCS for ${clusterName}, please type: "${message}"`,
  );
  if (typed !== message) throw ctlFailure(`You did not exactly type "${message}"`);
  if (cluster.leader !== null && cluster.leader.name !== '') {
    const leader = await ctx.io.prompt(
      'This cluster currently is healthy. Please specify the leader name to continue',
    );
    if (leader !== cluster.leader.name)
      throw ctlFailure('You did not specify the current leader of the cluster');
  }
  await dcs.deleteCluster();
}

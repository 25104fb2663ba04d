/* The jointly smallest growth of a layout, its blocks kept: among the
 * capacity vectors c >= given (pool by pool), one with the smallest size
 * sum(block_p * c_p) that the model (tune_sim.h) replays without failure.
 * Growing pool by pool (tune_grow.h) can miss it: with four 16-byte
 * objects and one of 40 live at once, {16 x 2, 40 x 1} grown one pool at a
 * time becomes 16 x 3 + 40 x 2 (128 bytes: the fourth small object takes
 * the 40-byte block), where 16 x 4 + 40 x 1 (104) serves.
 *
 * Branch and bound over the pools, smallest block first. As long as nothing
 * fails, pools 0..p-1 see the same requests and hold the same objects
 * whatever the capacities of pools p.. (ph_tune_sim_focus). So a node, the
 * capacities of pools 0..p-1 fixed, has one model replay (pools p.. without
 * limit) that either fails (no completion serves) or gives N_p, the most
 * objects live at once in pools p.., and M_p, the most in pool p alone:
 * pools p.. need c_p + ... >= N_p, and pool p never more than M_p blocks
 * (with M_p it is never full, as if unlimited: more changes nothing). The
 * last pool needs exactly max(given, N): with fewer, the request that would
 * take block N + 1 has no pool after it.
 *
 * The bound of a node: its cost so far plus the cheapest capacities of
 * pools p.. meeting C_p >= N_p and the tail demands C_q >= D_q
 * (tune_margin.h; necessary with any capacities), found from the largest
 * pool down, each shortfall put on the pool itself, the cheapest block that
 * counts for it. As a function of c_p it falls until the shortfall of pool
 * p + 1 is gone, then rises, so the children worth trying form an interval
 * found in O(P); they are tried from its lowest bound outwards. Nodes whose
 * bound is not below the best found are cut.
 *
 * A node replays only the operations that reach its pools: its replay
 * keeps those that reach pools p.., and its children (which differ from it
 * only there) replay just them, as the tuner's fallback search does with
 * one level of focus. Each level keeps its operations while its children
 * run: at most P copies of the trace along the path, often much less, as
 * the larger pools see a fraction of it.
 *
 * The bound on the work: the tree can be as large as the product of the
 * pools' ranges (M_p - given_p + 1), so the search stops after
 * max(PH_TUNE_GROW_SEARCH_OPERATIONS, PH_TUNE_GROW_SEARCH_RUNS * E)
 * modelled operations (E the traces' operations): 10^8, or 256 replays of
 * a longer trace. It is exact when it ends within that (every growth of the
 * tests; 71 of the 75 of docs/tuning.md's corpus), else the best found. */
#ifndef POOLHEAP_TOOLS_TUNE_GROW_SEARCH_H
#define POOLHEAP_TOOLS_TUNE_GROW_SEARCH_H

#include "tune_dp.h"
#include "tune_input.h"
#include "tune_sim.h"

/* The operations the search may model: PH_TUNE_GROW_SEARCH_OPERATIONS,
 * or PH_TUNE_GROW_SEARCH_RUNS replays of the whole traces if more. Counts,
 * not a time, so that runs are reproducible. */
#define PH_TUNE_GROW_SEARCH_RUNS 256u
#define PH_TUNE_GROW_SEARCH_OPERATIONS 100000000u

/* Lowers *best (the blocks of `given`, capacities at least given's, a
 * layout the model serves, such as the pool-by-pool growth) to the jointly
 * smallest growth of `given` as above; updates best->size. Returns 1 if
 * the search ended (*best is the smallest), 0 if its budget was spent
 * first (*best is the smallest found, never larger than on entry), -1 if
 * memory runs out or `given` leaves a class without a pool (*best
 * unchanged). Ends any focus of `sim`. Time: O(E * P) for the tail
 * demands, then at most max(10^8, 256 * E) modelled operations and O(P)
 * work besides per node (E events, P pools); memory O(E * P) at most. */
int ph_tune_grow_jointly(ph_tune_sim_t *sim, const ph_tune_layout_t *given, ph_tune_layout_t *best);

#endif /* POOLHEAP_TOOLS_TUNE_GROW_SEARCH_H */

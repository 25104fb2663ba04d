/* PH_ALWAYS_INLINE: for the few helpers on the common path of alloc and
 * free. At -Os the compiler keeps a helper used in several places out of
 * line, and on a Cortex-M3 the call (argument moves, saved registers, a
 * result passed through memory) costs more instructions than the helper
 * itself; scripts/count-instructions shows the difference. */
#ifndef POOLHEAP_ALWAYS_INLINE_H
#define POOLHEAP_ALWAYS_INLINE_H

#if defined(__GNUC__)
#define PH_ALWAYS_INLINE __attribute__((always_inline)) static inline
#else
#define PH_ALWAYS_INLINE static inline
#endif

#endif /* POOLHEAP_ALWAYS_INLINE_H */

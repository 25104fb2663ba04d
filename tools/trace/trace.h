/* tools/trace: heap traces as the host tools see them (docs/trace-format.md).
 *
 * Owns: the decoded form of a trace (trace_events.h), reading and validating
 * trace files into it (trace_reader.h, with the address map that turns block
 * addresses into object identities, and raw ITM captures: itm_stream.h), and replaying a decoded trace through
 * the library with a given pool layout (replay.h).
 *
 * Two libraries: poolheap_trace_reader needs no heap library, so programs
 * linked with a variant of it (tracing on, say) can read traces;
 * poolheap_trace_replay runs traces through the library.
 * May use: the library's public headers and tools/escape (the progress
 * line quotes the file name). */
#ifndef POOLHEAP_TOOLS_TRACE_H
#define POOLHEAP_TOOLS_TRACE_H

#include "itm_stream.h"
#include "replay.h"
#include "trace_events.h"
#include "trace_reader.h"

#endif /* POOLHEAP_TOOLS_TRACE_H */

/* The summary of `poolheap report`: which event it names for the peak of
 * live bytes when that peak is reached more than once (the first), and
 * when a later event goes higher (that one). */
#include "harness.h"
#include "report/trace_summary.h"

#define A(o, s) \
    { .kind = PH_EVENT_ALLOC, .size = (s), .align = 1u, .object = (o) }
#define R(o, from, to) \
    { .kind = PH_EVENT_REALLOC, .size = (to), .old_size = (from), .align = 1u, .object = (o) }
#define F(o, s) \
    { .kind = PH_EVENT_FREE, .size = (s), .align = 1u, .object = (o) }

static void expect_peak(ph_event_t *events, size_t count, uint64_t bytes, size_t event) {
    ph_trace_t trace = {.events = events, .count = count, .objects = 2u, .pointer_size = 8u};
    ph_trace_summary_t s;
    CHECK_EQ(ph_trace_summarize(&trace, &s), 0);
    CHECK_EQ(s.peak_bytes, bytes);
    CHECK_EQ(s.peak_event, event);
    ph_trace_summary_free(&s);
}

static void a_peak_reached_twice_is_named_at_its_first_event(void) {
    ph_event_t again[] = {A(0, 100), F(0, 100), A(1, 100), F(1, 100)};
    expect_peak(again, 4u, 100u, 0u);
    ph_event_t by_realloc[] = {A(0, 50), A(1, 50), F(1, 50), R(0, 50, 100), F(0, 100)}; /* 100 at 1 and 3 */
    expect_peak(by_realloc, 5u, 100u, 1u);
}

static void a_higher_peak_later_is_named_at_its_event(void) {
    ph_event_t higher[] = {A(0, 100), F(0, 100), A(1, 101), F(1, 101)};
    expect_peak(higher, 4u, 101u, 2u);
}

int main(void) {
    RUN(a_peak_reached_twice_is_named_at_its_first_event);
    RUN(a_higher_peak_later_is_named_at_its_event);
    return test_summary();
}

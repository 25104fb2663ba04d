/* A minimal test harness: checks that record failures and go on, one
 * output macro (so the same tests print over semihosting on a target), and
 * a closing "N passed, N failed" line per program. */
#ifndef POOLHEAP_TEST_HARNESS_H
#define POOLHEAP_TEST_HARNESS_H

#include <stdio.h>

#ifndef TEST_PRINTF
#define TEST_PRINTF printf
#endif

static unsigned test_checks_failed;
static unsigned test_cases_passed, test_cases_failed;

/* Records a failed check with its place; the case goes on. */
#define CHECK(condition)                                                              \
    do {                                                                              \
        if (!(condition)) {                                                           \
            test_checks_failed++;                                                     \
            TEST_PRINTF("%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        }                                                                             \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                                \
    do {                                                                                                          \
        unsigned long long check_a_ = (unsigned long long)(actual), check_e_ = (unsigned long long)(expected);    \
        if (check_a_ != check_e_) {                                                                               \
            test_checks_failed++;                                                                                 \
            TEST_PRINTF("%s:%d: check failed: %s == %s (%llu != %llu)\n", __FILE__, __LINE__, #actual, #expected, \
                        check_a_, check_e_);                                                                      \
        }                                                                                                         \
    } while (0)

/* Runs one test case (a void function) and counts its outcome. */
#define RUN(test_case)                            \
    do {                                          \
        unsigned before_ = test_checks_failed;    \
        test_case();                              \
        if (test_checks_failed == before_) {      \
            test_cases_passed++;                  \
        } else {                                  \
            test_cases_failed++;                  \
            TEST_PRINTF("FAIL %s\n", #test_case); \
        }                                         \
    } while (0)

/* Prints the closing line; returns the process exit status. */
static inline int test_summary(void) {
    TEST_PRINTF("%u passed, %u failed\n", test_cases_passed, test_cases_failed);
    return test_cases_failed == 0u ? 0 : 1;
}

#endif /* POOLHEAP_TEST_HARNESS_H */

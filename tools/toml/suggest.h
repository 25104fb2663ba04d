/* "Did you mean ...?" for misspelt keys. */
#ifndef POOLHEAP_TOOLS_SUGGEST_H
#define POOLHEAP_TOOLS_SUGGEST_H

#include <stddef.h>

/* Returns the entry of `candidates` (`count` strings) nearest to `word` by
 * edit distance (insertions, deletions, substitutions and swaps of adjacent
 * characters), if it is at most 2 edits away and closer than the length of
 * `word`; else NULL. Words longer than 63 characters get no suggestion. */
const char *ph_suggest(const char *word, const char *const *candidates, size_t count);

#endif /* POOLHEAP_TOOLS_SUGGEST_H */

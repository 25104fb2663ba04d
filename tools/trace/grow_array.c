/* Growing the trace readers' arrays: see grow_array.h. */
#include "grow_array.h"

#include <stdint.h>
#include <stdlib.h>

void *ph_grow_array(void *items, size_t *capacity, size_t needed, size_t item_size) {
    size_t doubled = *capacity > SIZE_MAX / 2u ? SIZE_MAX : *capacity * 2u;
    size_t count = doubled > needed ? doubled : needed;
    if (count > SIZE_MAX / item_size) {
        return NULL;
    }
    void *grown = realloc(items, count * item_size);
    if (grown != NULL) {
        *capacity = count;
    }
    return grown;
}

#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int text_printf(text_t *text, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int needed = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (needed < 0) {
        return -1;
    }
    size_t want = text->length + (size_t)needed + 1u;
    if (want > text->capacity) {
        size_t capacity = text->capacity ? text->capacity : 16u;
        while (capacity < want) {
            capacity *= 2u;
        }
        char *grown = realloc(text->data, capacity); /* in place while the block still fits */
        if (grown == NULL) {
            return -1;
        }
        text->data = grown;
        text->capacity = capacity;
    }
    va_start(args, format);
    vsnprintf(text->data + text->length, (size_t)needed + 1u, format, args);
    va_end(args);
    text->length += (size_t)needed;
    return 0;
}

void text_free(text_t *text) {
    free(text->data);
    *text = (text_t){0};
}

char *text_next_word(const char **cursor) {
    const char *start = *cursor;
    while (*start == ' ') {
        start++;
    }
    size_t length = strcspn(start, " ");
    *cursor = start + length;
    if (length == 0u) {
        return NULL;
    }
    char *word = malloc(length + 1u);
    if (word != NULL) {
        memcpy(word, start, length);
        word[length] = '\0';
    }
    return word;
}

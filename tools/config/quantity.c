/* Parsing and printing sizes and shares. */
#include "quantity.h"

#include <stdio.h>
#include <string.h>

static int digit_value(char c, unsigned base) {
    unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 99u;
    return v < base ? (int)v : -1;
}

int ph_parse_size(const char *text, uint64_t *out) {
    unsigned base = 10u;
    const char *s = text;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16u;
        s += 2;
    }
    size_t n = strlen(s);
    uint64_t scale = 1u;
    if (n > 0u && (s[n - 1u] == 'K' || s[n - 1u] == 'M')) {
        scale = s[n - 1u] == 'K' ? 1024u : 1024u * 1024u;
        n--;
    }
    uint64_t value = 0u;
    size_t digits = 0u;
    for (size_t i = 0u; i < n; i++) {
        if (s[i] == '_') {
            if (i == 0u || i + 1u == n || s[i - 1u] == '_') {
                return -1;
            }
            continue;
        }
        int d = digit_value(s[i], base);
        if (d < 0) {
            return -1;
        }
        if (value > (UINT64_MAX - (uint64_t)d) / base) {
            return -2;
        }
        value = value * base + (uint64_t)d;
        digits++;
    }
    if (digits == 0u) {
        return -1;
    }
    if (value > UINT64_MAX / scale) {
        return -2;
    }
    *out = value * scale;
    return 0;
}

int ph_parse_share(const char *text, uint32_t *out) {
    uint64_t whole = 0u, fraction = 0u, scale = PH_SHARE_WHOLE / 100u;
    size_t i = 0u, int_digits = 0u;
    for (; text[i] >= '0' && text[i] <= '9' && int_digits < 4u; i++, int_digits++) {
        whole = whole * 10u + (uint64_t)(text[i] - '0');
    }
    if (int_digits == 0u) {
        return -1;
    }
    if (text[i] == '.') {
        size_t frac_digits = 0u;
        for (i++; text[i] >= '0' && text[i] <= '9'; i++, frac_digits++) {
            if (frac_digits == 7u) {
                return -1;
            }
            scale /= 10u;
            fraction += (uint64_t)(text[i] - '0') * scale;
        }
        if (frac_digits == 0u) {
            return -1;
        }
    }
    uint64_t share = whole * (PH_SHARE_WHOLE / 100u) + fraction;
    if (strcmp(text + i, "%") != 0 || share > PH_SHARE_WHOLE) {
        return -1;
    }
    *out = (uint32_t)share;
    return 0;
}

void ph_format_share(uint64_t share, char *out, size_t out_size) {
    uint64_t unit = PH_SHARE_WHOLE / 100u;
    char fraction[16];
    snprintf(fraction, sizeof fraction, "%07llu", (unsigned long long)(share % unit));
    size_t n = strlen(fraction);
    while (n > 0u && fraction[n - 1u] == '0') {
        fraction[--n] = '\0';
    }
    snprintf(out, out_size, "%llu%s%s%%", (unsigned long long)(share / unit), n ? "." : "", fraction);
}
